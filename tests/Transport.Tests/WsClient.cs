using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Platform.Contracts.Wire;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>A .NET ClientWebSocket that records every message it receives (with its arrival time) on a background loop.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly List<Received> _messages = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public sealed record Received(WebSocketMessageType Type, byte[] Data, long At)
    {
        public StreamMessageType StreamType => (StreamMessageType)Data[0];

        public JsonElement Json(int skip = 1) => JsonDocument.Parse(Data.AsMemory(skip)).RootElement.Clone();
    }

    public WebSocketCloseStatus? CloseStatus { get; private set; }
    public string? CloseDescription { get; private set; }
    public bool Closed { get; private set; }

    public static async Task<WsClient> ConnectAsync(Uri url, bool read = true)
    {
        var client = new WsClient();
        await client._socket.ConnectAsync(url, CancellationToken.None);
        if (read) client._loop = client.ReadLoopAsync();
        return client;
    }

    public IReadOnlyList<Received> Messages
    {
        get { lock (_lock) return [.. _messages]; }
    }

    public IReadOnlyList<Received> Stream(StreamMessageType type) => [.. Messages.Where(m => m.Type == WebSocketMessageType.Binary && m.StreamType == type)];

    /// <summary>The 0x02 messages of <paramref name="subject"/> as their <c>data</c>.</summary>
    public IReadOnlyList<JsonElement> Telemetry(string subject)
        => [.. Stream(StreamMessageType.Telemetry).Select(m => m.Json()).Where(j => j.GetProperty("subject").GetString() == subject).Select(j => j.GetProperty("data"))];

    public Task SendAsync(byte[] data, WebSocketMessageType type = WebSocketMessageType.Binary)
        => _socket.SendAsync(data, type, true, CancellationToken.None);

    public Task SendAsync(StreamMessageType type, string json)
        => SendAsync([(byte)type, .. Encoding.UTF8.GetBytes(json)]);

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task<JsonElement> WaitTelemetryAsync(string subject, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        JsonElement found = default;
        await Eventually.WaitAsync(() =>
        {
            foreach (var d in Telemetry(subject))
            {
                if (match?.Invoke(d) ?? true)
                {
                    found = d;
                    return true;
                }
            }
            return false;
        }, $"a 0x02 message on {subject}", timeout ?? TimeSpan.FromSeconds(10));
        return found;
    }

    public Task WaitClosedAsync(TimeSpan? timeout = null) => Eventually.WaitAsync(() => Closed, "the server to close the connection", timeout ?? TimeSpan.FromSeconds(10));

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), _stop.Token);
                    count += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = _socket.CloseStatus;
                    CloseDescription = _socket.CloseStatusDescription;
                    break;
                }
                var at = Stopwatch.GetTimestamp();
                lock (_lock) _messages.Add(new Received(result.MessageType, buffer[..count], at));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            Closed = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
    }
}
