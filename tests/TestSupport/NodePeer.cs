using System.Diagnostics;
using System.Text;

namespace Platform.TestSupport;

/// <summary>
/// Runs a Node.js script from tests/interop (real peers: the nats npm client, @grpc/grpc-js, ws).
/// Run `bash eng/install-deps.sh` first; it installs the npm packages.
/// </summary>
public sealed class NodePeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Tcs)> _waiters = [];
    private readonly Lock _gate = new();

    private NodePeer(Process process) => _process = process;

    public string StandardOutput { get { lock (_gate) return _stdout.ToString(); } }
    public string StandardError { get { lock (_gate) return _stderr.ToString(); } }

    /// <summary>Starts <c>node tests/interop/&lt;script&gt; args...</c>.</summary>
    public static NodePeer Start(string script, params string[] args)
    {
        var nodeModules = Path.Combine(RepoPaths.InteropDir, "node_modules");
        if (!Directory.Exists(nodeModules))
            throw new InvalidOperationException($"{nodeModules} is missing: run `bash eng/install-deps.sh` to install the npm peers.");
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.InteropDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.InteropDir, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var peer = new NodePeer(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) peer.OnLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (peer._gate) peer._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Runs a script to completion and returns its standard output; fails with its stderr when it exits non-zero.</summary>
    public static async Task<string> RunAsync(string script, TimeSpan timeout, params string[] args)
    {
        await using var peer = Start(script, args);
        return await peer.WaitForExitAsync(timeout);
    }

    /// <summary>Waits for a line of standard output that satisfies <paramref name="match"/>.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (match(line.TrimEnd('\r'))) return Task.FromResult(line.TrimEnd('\r'));
            }
            _waiters.Add((match, tcs));
        }
        return tcs.Task.WaitAsync(timeout).ContinueWith(t =>
        {
            if (t.IsFaulted && t.Exception!.InnerException is TimeoutException)
                throw new TimeoutException($"node peer printed no matching line within {timeout}. stdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            return t.Result;
        }, TaskScheduler.Default);
    }

    public async Task<string> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"node peer did not exit within {timeout}. stdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }
        _process.WaitForExit(); // flush the async output readers
        if (_process.ExitCode != 0)
            throw new InvalidOperationException($"node peer exited with {_process.ExitCode}. stdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        return StandardOutput;
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    private void OnLine(string line)
    {
        lock (_gate)
        {
            _stdout.AppendLine(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    _waiters[i].Tcs.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        _process.Dispose();
    }
}
