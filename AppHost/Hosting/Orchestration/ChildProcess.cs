using System.Diagnostics;

namespace Aspire.Hosting.Orchestration;

/// <summary>One started program with its stdout and stderr read line by line into a <see cref="LogRing"/>.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task _readers;

    private ChildProcess(Process process, LogRing logs)
    {
        _process = process;
        Pid = process.Id;
        _readers = Task.WhenAll(PumpAsync(process.StandardOutput, logs, isError: false), PumpAsync(process.StandardError, logs, isError: true));
    }

    public int Pid { get; }

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string command, IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, LogRing logs)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // a child never reads the AppHost's terminal
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The AppHost's own wiring must not leak into a child (e.g. when the AppHost itself runs under an orchestrator).
        foreach (var key in start.Environment.Keys.Where(IsWiring).ToList()) start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        process.StandardInput.Close();
        return new ChildProcess(process, logs);
    }

    /// <summary>Waits for the exit and for the last output lines; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        await _readers;
        return _process.ExitCode;
    }

    public void Terminate() => PosixSignals.Send(Pid, PosixSignals.SIGTERM);

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    public void Dispose() => _process.Dispose();

    private static bool IsWiring(string key) =>
        key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("services__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("OTEL_", StringComparison.Ordinal)
        || key is "ASPNETCORE_URLS" or "HTTP_PORTS" or "HTTPS_PORTS" or "DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL";

    private static async Task PumpAsync(StreamReader reader, LogRing logs, bool isError)
    {
        while (await reader.ReadLineAsync() is { } line) logs.Add(isError, line);
    }
}
