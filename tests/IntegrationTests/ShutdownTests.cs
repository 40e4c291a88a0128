using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Orchestration;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.IntegrationTests;

public sealed class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DisposingTheAppLeavesNoChildProcess()
    {
        var (app, _) = await Platform.StartHealthyAsync();
        var pids = app.ResourceNotifications.Current.Select(s => s.Pid!.Value).ToList();
        Assert.Equal(7, pids.Count);
        Assert.All(pids, pid => Assert.True(ProcessState.IsAlive(pid)));

        await app.DisposeAsync();

        Assert.All(pids, pid => Assert.False(ProcessState.IsAlive(pid), $"pid {pid} outlived the app"));
    }

    [Fact]
    public async Task AppHostRunFromTheCommandLineIsHealthyThenStopsEveryChildOnSigint()
    {
        var dashboard = $"http://localhost:{FreePort.Next()}";
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Free ports, so the test runs beside a developer's AppHost on 18888/8080.
            Environment =
            {
                ["ASPNETCORE_URLS"] = dashboard,
                ["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
                ["DcpPublisher__RandomizePorts"] = "true",
            },
        };
        start.ArgumentList.Add(new Projects.AppHost().TargetPath);
        var clock = Stopwatch.StartNew();
        using var appHost = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        appHost.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        appHost.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        appHost.BeginOutputReadLine();
        appHost.BeginErrorReadLine();
        List<int> pids = [];
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(dashboard) };
            await Eventually.WaitAsync(async () =>
            {
                var resources = await http.GetFromJsonAsync<JsonElement>("/api/resources");
                var healthy = resources.EnumerateArray().Where(r => r.GetProperty("state").GetString() == "Running" && r.GetProperty("health").GetString() == "Healthy").ToList();
                if (healthy.Count != Platform.Resources.Length) return false;
                pids = [.. healthy.Select(r => r.GetProperty("pid").GetInt32())];
                return true;
            }, "all seven resources healthy in /api/resources", Platform.HealthyDeadline);
            output.WriteLine($"AppHost process: all seven healthy {clock.Elapsed.TotalSeconds:0.0} s after start");
            Assert.All(pids, pid => Assert.True(ProcessState.IsAlive(pid)));

            PosixSignals.Send(appHost.Id, PosixSignals.SIGINT);

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await appHost.WaitForExitAsync(cts.Token);
            Assert.Equal(0, appHost.ExitCode);
            Assert.All(pids, pid => Assert.False(ProcessState.IsAlive(pid), $"pid {pid} outlived the AppHost"));
        }
        finally
        {
            if (!appHost.HasExited) appHost.Kill(entireProcessTree: true);
            output.WriteLine(string.Join('\n', log));
        }
    }
}
