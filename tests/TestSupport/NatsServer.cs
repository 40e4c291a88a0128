using System.Diagnostics;
using System.Net.Sockets;

namespace Platform.TestSupport;

/// <summary>
/// A real Debian <c>nats-server</c> on a free loopback port, JetStream on, with its own store folder.
/// <see cref="RestartAsync"/> stops it and starts it again on the same port and store (for reconnect tests).
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    private readonly string _storeDir;
    private readonly string[] _extraArgs;
    private Process? _process;

    private NatsServer(int port, int monitorPort, string storeDir, string[] extraArgs)
    {
        Port = port;
        MonitorPort = monitorPort;
        _storeDir = storeDir;
        _extraArgs = extraArgs;
    }

    public int Port { get; }
    public int MonitorPort { get; }
    public string Url => $"nats://127.0.0.1:{Port}";
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts a server; <paramref name="extraArgs"/> go to nats-server as they are (e.g. "--user", "u", "--pass", "p").</summary>
    public static async Task<NatsServer> StartAsync(params string[] extraArgs)
    {
        var store = Path.Combine(Path.GetTempPath(), "platform-nats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(store);
        var server = new NatsServer(FreePort.Next(), FreePort.Next(), store, extraArgs);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Starts a server on a port chosen by the caller (e.g. to test a client that was pointed there before it existed).</summary>
    public static async Task<NatsServer> StartOnPortAsync(int port, params string[] extraArgs)
    {
        var store = Path.Combine(Path.GetTempPath(), "platform-nats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(store);
        var server = new NatsServer(port, FreePort.Next(), store, extraArgs);
        await server.StartProcessAsync();
        return server;
    }

    public static string Executable { get; } = FindExecutable();

    private static string FindExecutable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "nats-server");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("nats-server is not installed: run `bash eng/install-deps.sh` (apt-get install nats-server).");
    }

    private async Task StartProcessAsync()
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-a", "127.0.0.1", "-p", Port.ToString(), "-m", MonitorPort.ToString(), "-js", "-sd", _storeDir }.Concat(_extraArgs))
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("nats-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await Eventually.WaitAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"nats-server exited with {process.ExitCode}");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, $"nats-server listening on {Port}", TimeSpan.FromSeconds(15));
    }

    /// <summary>Kills the server (as a crash would) without restarting it.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_storeDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
