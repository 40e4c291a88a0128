using System.Diagnostics;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// Ends the children if the AppHost dies without stopping them (SIGKILL, a crash): a small shell process watches the
/// AppHost's pid and, once it is gone, sends SIGTERM and then SIGKILL to the pids listed in a file the AppHost keeps current.
/// The graceful path (Ctrl+C, SIGTERM, Dispose) never needs it.
/// </summary>
internal sealed class ChildWatchdog : IDisposable
{
    private readonly string _pidFile;
    private readonly Process? _watcher;
    private readonly Lock _gate = new();

    public ChildWatchdog(string stateDirectory) : this(stateDirectory, Environment.ProcessId)
    {
    }

    /// <summary>Watches <paramref name="ownerPid"/> (the AppHost itself, except in tests).</summary>
    internal ChildWatchdog(string stateDirectory, int ownerPid)
    {
        Directory.CreateDirectory(stateDirectory);
        _pidFile = Path.Combine(stateDirectory, $"children-{ownerPid}-{Guid.NewGuid():N}.pids");
        File.WriteAllText(_pidFile, "");
        const string script = """
            trap '' INT
            while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
            [ -s "$2" ] || { rm -f "$2"; exit 0; }
            pids=$(cat "$2")
            kill -TERM $pids 2>/dev/null
            sleep 3
            kill -KILL $pids 2>/dev/null
            rm -f "$2"
            """;
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var arg in new[] { "-c", script, "apphost-watchdog", ownerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), _pidFile })
            start.ArgumentList.Add(arg);
        try
        {
            _watcher = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            _watcher = null; // no /bin/sh: only the graceful path protects the children
        }
    }

    public void Update(IEnumerable<int> pids)
    {
        lock (_gate) File.WriteAllText(_pidFile, string.Join(' ', pids));
    }

    public void Dispose()
    {
        if (_watcher is { HasExited: false }) _watcher.Kill();
        _watcher?.Dispose();
        File.Delete(_pidFile);
    }
}
