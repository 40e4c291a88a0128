using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Platform.TestSupport;

namespace Platform.TailerBench;

/// <summary>The baseline: <c>tail -F file</c> piped into a plain TCP socket (a node relay that only copies stdin), read here.</summary>
internal sealed class TailTcpPath : IDeliveryPath
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Process? _pipeline;
    private TcpClient? _client;
    private Task? _receiving;

    public string Name => "tail -F | TCP (baseline)";

    public async Task StartAsync(string file, LineStamps stamps)
    {
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        var relay = Path.Combine(RepoPaths.InteropDir, "tailer-tcp-relay.mjs");
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"tail -n +1 -F '{file}' | node '{relay}' 127.0.0.1 {port}");
        _pipeline = Process.Start(psi) ?? throw new InvalidOperationException("could not start tail | node");
        _client = await _listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(15));
        _receiving = ReceiveAsync(_client.GetStream(), stamps);
    }

    private async Task ReceiveAsync(NetworkStream stream, LineStamps stamps)
    {
        var buffer = new byte[1 << 20];
        var count = 0;
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(count), _stop.Token);
                if (n == 0) return;
                count += n;
                var lastNewline = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
                if (lastNewline < 0) continue;
                stamps.Collect(buffer.AsSpan(0, lastNewline + 1)); // whole lines only; a partial one waits
                buffer.AsSpan(lastNewline + 1, count - lastNewline - 1).CopyTo(buffer);
                count -= lastNewline + 1;
            }
        }
        catch (OperationCanceledException)
        {
            // done
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_receiving is not null) await _receiving;
        if (_pipeline is { HasExited: false })
        {
            _pipeline.Kill(entireProcessTree: true);
            await _pipeline.WaitForExitAsync();
        }
        _pipeline?.Dispose();
        _client?.Dispose();
        _listener.Stop();
        _stop.Dispose();
    }
}
