using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.TestSupport;

namespace Platform.IntegrationTests;

/// <summary>
/// <c>dotnet run --project AppHost</c> as a user starts it, in a process group of its own (so Ctrl+C can be sent to the
/// group as a terminal does), with the dashboard and every port free-assigned so it runs beside a developer's AppHost.
/// </summary>
internal sealed class CommandLineAppHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _state = Directory.CreateTempSubdirectory("platform-state-").FullName;

    private CommandLineAppHost(IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A user's terminal, not the test runner's environment: `dotnet test` leaves MSBuild and VSTest variables behind
        // that make the `dotnet run` of each service (DCP starts projects that way) stall.
        var inherited = start.Environment.Where(e => e.Key is "PATH" or "HOME" or "USER" or "LANG" or "TMPDIR" or "DOTNET_ROOT" or "NUGET_PACKAGES").ToList();
        start.Environment.Clear();
        foreach (var (key, value) in inherited) start.Environment[key] = value;
        foreach (var (key, value) in new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                // Free ports for a start; DcpPublisher:RandomizePorts gives the dashboard others, which it prints.
                ["ASPNETCORE_URLS"] = $"http://localhost:{FreePort.Next()}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
                ["DcpPublisher__RandomizePorts"] = "true",
                ["Platform__StateDirectory"] = _state,
            })
        {
            start.Environment[key] = value;
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        foreach (var arg in new[] { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", "run", "--project", Projects.AppHost.ProjectPath, "--no-build", "--no-launch-profile" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The process group leader (setsid execs <c>dotnet run</c>, so this is its pid).</summary>
    public int Pid => _process.Id;

    /// <summary>The dashboard's address as the AppHost prints it (<c>- Dashboard:  http://localhost:port</c>); null until then.</summary>
    public Uri? Dashboard => _log.Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("- Dashboard:", StringComparison.Ordinal)) is { } line
        ? new Uri(line["- Dashboard:".Length..].Trim())
        : null;

    public string Log => string.Join('\n', _log);

    /// <summary>Starts the AppHost; <paramref name="environment"/> adds to or replaces the variables above.</summary>
    public static CommandLineAppHost Start(IReadOnlyDictionary<string, string>? environment = null) => new(environment);

    /// <summary>Waits until the dashboard has telemetry from every service (each of them started and exporting).</summary>
    public async Task WaitForAllServicesReportingAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await WaitAsync(http, timeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; the AppHost's output:\n{Log}", ex);
        }
    }

    private async Task WaitAsync(HttpClient http, TimeSpan timeout)
    {
        await Eventually.WaitAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"the AppHost exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if (Dashboard is not { } dashboard) return false;
                var resources = await http.GetFromJsonAsync<JsonElement>(new Uri(dashboard, "/api/telemetry/resources"));
                var reporting = resources.EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToHashSet();
                return Platform.Services.All(reporting.Contains);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, "telemetry from all six services in the dashboard", timeout);
    }

    /// <summary>
    /// Every process the run consists of: the AppHost's own tree and DCP's (DCP detaches from the AppHost and watches it
    /// by pid: <c>--monitor &lt;pid&gt;</c>), which holds nats-server and the services.
    /// </summary>
    public IReadOnlyList<int> Processes()
    {
        var roots = new List<int> { Pid };
        var appHost = ProcessState.Innermost(Pid);
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
            try
            {
                var args = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0');
                var monitor = Array.IndexOf(args, "--monitor");
                if (monitor >= 0 && monitor + 1 < args.Length && args[monitor + 1] == appHost.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    roots.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        var all = new HashSet<int>();
        var queue = new Queue<int>(roots);
        while (queue.TryDequeue(out var pid))
        {
            if (!all.Add(pid)) continue;
            foreach (var child in ProcessState.Children(pid)) queue.Enqueue(child);
        }
        return [.. all];
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
            PosixSignals.Send(-Pid, PosixSignals.SIGKILL);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_state, recursive: true);
    }
}
