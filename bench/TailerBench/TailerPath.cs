using System.Net.WebSockets;
using Platform.TelemetryTailer.Tailing;
using Platform.TestSupport;

namespace Platform.TailerBench;

/// <summary>The telemetry tailer's real Program in-process (publishing to a real nats-server, as it always does), read by one /ws/telemetry client.</summary>
internal sealed class TailerPath(bool deflate) : IDeliveryPath
{
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private NatsServer? _nats;
    private ServiceProgram? _tailer;
    private Task? _receiving;

    public string Name => deflate ? "tailer /ws/telemetry, permessage-deflate" : "tailer /ws/telemetry";

    public async Task StartAsync(string file, LineStamps stamps)
    {
        _nats = await NatsServer.StartAsync();
        _tailer = await ServiceProgram.StartAsync<global::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:nats"] = _nats.Url,
            ["TelemetryTailer:Directory"] = Path.GetDirectoryName(file),
        });
        await _tailer.Get<DirectoryTailer>().Started;

        if (deflate) _socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        await _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_tailer.HttpAddress.Port}/ws/telemetry"), CancellationToken.None);
        await _socket.SendAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"subscribe\",\"sessionId\":\"{Path.GetFileNameWithoutExtension(file)}\"}}"), WebSocketMessageType.Text, true, CancellationToken.None);
        // Lines appended before the subscription is in place would not be delivered: wait for its confirmation.
        var reply = new byte[4096];
        var confirmation = await _socket.ReceiveAsync(reply, CancellationToken.None);
        if (!System.Text.Encoding.UTF8.GetString(reply, 0, confirmation.Count).Contains("\"subscribed\"", StringComparison.Ordinal))
            throw new InvalidOperationException("the tailer did not confirm the subscription");
        _receiving = ReceiveAsync(stamps);
    }

    private async Task ReceiveAsync(LineStamps stamps)
    {
        var buffer = new byte[1 << 20];
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) return;
                count += result.Count;
                if (!result.EndOfMessage) continue;
                stamps.Collect(buffer.AsSpan(0, count));
                count = 0;
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
        _socket.Abort();
        _socket.Dispose();
        if (_tailer is not null) await _tailer.DisposeAsync();
        if (_nats is not null) await _nats.DisposeAsync();
        _stop.Dispose();
    }
}
