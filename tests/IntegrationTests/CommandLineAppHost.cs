using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.TestSupport;

namespace Platform.IntegrationTests;

/// <summary>The built AppHost started as a user would, with free ports so it runs beside a developer's AppHost on 18888/8080.</summary>
internal sealed class CommandLineAppHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _dashboard;

    private CommandLineAppHost(Process process, Stopwatch clock, string dashboard)
    {
        _process = process;
        _clock = clock;
        _dashboard = dashboard;
    }

    public int Pid => _process.Id;

    public TimeSpan Elapsed => _clock.Elapsed;

    public string Log => string.Join('\n', _log);

    public static CommandLineAppHost Start()
    {
        var dashboard = $"http://localhost:{FreePort.Next()}";
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["ASPNETCORE_URLS"] = dashboard,
                ["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
                ["DcpPublisher__RandomizePorts"] = "true",
            },
        };
        start.ArgumentList.Add(new Projects.AppHost().TargetPath);
        var clock = Stopwatch.StartNew();
        var appHost = new CommandLineAppHost(Process.Start(start)!, clock, dashboard);
        appHost._process.OutputDataReceived += (_, e) => { if (e.Data is not null) appHost._log.Enqueue(e.Data); };
        appHost._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) appHost._log.Enqueue(e.Data); };
        appHost._process.BeginOutputReadLine();
        appHost._process.BeginErrorReadLine();
        return appHost;
    }

    /// <summary>Reads /api/resources until the seven resources are healthy; returns their pids.</summary>
    public async Task<List<int>> WaitForAllHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_dashboard) };
        List<int> pids = [];
        await Eventually.WaitAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"the AppHost exited with {_process.ExitCode}:\n{Log}");
            var resources = await http.GetFromJsonAsync<JsonElement>("/api/resources");
            var healthy = resources.EnumerateArray()
                .Where(r => r.GetProperty("state").GetString() == "Running" && r.GetProperty("health").GetString() == "Healthy")
                .ToList();
            if (healthy.Count != Platform.Resources.Length) return false;
            pids = [.. healthy.Select(r => r.GetProperty("pid").GetInt32())];
            return true;
        }, "all seven resources healthy in /api/resources", Platform.HealthyDeadline);
        return pids;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
