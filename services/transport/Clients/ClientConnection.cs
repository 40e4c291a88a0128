using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Wire;

namespace Platform.Transport.Clients;

/// <summary>
/// One WebSocket client of the transport (either endpoint): a writer task that alone sends (from the
/// <see cref="ClientOutbox"/>, each send bounded by <see cref="TransportOptions.SendTimeout"/>: a client that does not
/// take a message in time is aborted), and a receive loop that enforces the size limit (close 1009) and the rate
/// limit (close 1008) before handing each message on. Producers only ever offer to the outbox: nothing that fans out
/// to clients waits on one.
/// </summary>
public sealed partial class ClientConnection : IDisposable
{
    private readonly WebSocket _socket;
    private readonly TransportOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly double _ticksPerMessage;
    private double _tokens;
    private long _lastRefill = Stopwatch.GetTimestamp();
    private int _closing; // 1 once a close was requested
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";

    public ClientConnection(WebSocket socket, string id, TransportOptions options, ILogger logger)
    {
        _socket = socket;
        Id = id;
        _options = options;
        _logger = logger;
        Outbox = new ClientOutbox(options.MaxQueuedVideoFrames, options.MaxQueuedVideoBytes, options.MaxQueuedTelemetry, options.MaxQueuedControl);
        _tokens = Math.Max(1, options.MessageBurst);
        _ticksPerMessage = Stopwatch.Frequency / (double)Math.Max(1, options.MaxMessagesPerSecond);
    }

    public string Id { get; }

    public ClientOutbox Outbox { get; }

    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    /// <summary>Why the server ended the connection (null while open or when the peer ended it).</summary>
    public string? ServerCloseReason { get; private set; }

    /// <summary>
    /// Ends the connection: what is already queued as control (replies, a final notice) is still sent, then a close
    /// frame with <paramref name="status"/> and <paramref name="reason"/>; the socket is aborted if the peer does not
    /// answer within the close timeout. The first call wins.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        _closeStatus = status;
        _closeReason = reason;
        if (status != WebSocketCloseStatus.NormalClosure)
        {
            ServerCloseReason = reason;
            LogClosing(Id, (int)status, reason);
        }
        Outbox.Complete();
    }

    /// <summary>Runs until the connection ends; <paramref name="onMessage"/> gets each whole client message in order.</summary>
    public async Task RunAsync(Func<ReadOnlyMemory<byte>, WebSocketMessageType, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
        var writer = WriteLoopAsync(linked.Token);
        var peerVanished = false;
        try
        {
            await ReceiveLoopAsync(onMessage, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            peerVanished = !IsClosing;
        }
        finally
        {
            Close(WebSocketCloseStatus.NormalClosure, "");
            if (peerVanished) TryCancel(TimeSpan.Zero);
            else TryCancel(_options.CloseTimeout);
            await writer.ConfigureAwait(false);
            if (_socket.State != WebSocketState.Closed) _socket.Abort();
            Outbox.Drain();
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        using var send = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                while (Outbox.TryTake(IsClosing, out var message))
                {
                    try
                    {
                        send.CancelAfter(_options.SendTimeout);
                        await _socket.SendAsync(message.Memory, message.Type, endOfMessage: true, send.Token).ConfigureAwait(false);
                        message.Metrics?.Sent(message.ReceivedAt);
                    }
                    finally
                    {
                        message.Release();
                    }
                    if (!send.TryReset()) throw new OperationCanceledException(send.Token);
                }
                if (IsClosing)
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        send.CancelAfter(_options.CloseTimeout);
                        await _socket.CloseOutputAsync(_closeStatus, WebSocketCloseReason.Fit(_closeReason), send.Token).ConfigureAwait(false);
                    }
                    TryCancel(_options.CloseTimeout); // the receive loop waits that long for the peer's close
                    return;
                }
                await Outbox.WaitAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The send timed out: the client stopped reading.
            ServerCloseReason ??= $"slow consumer: a send did not complete within {_options.SendTimeout.TotalSeconds:0.#} s";
            LogSlowConsumer(Id, _options.SendTimeout.TotalSeconds, Outbox.DroppedVideoFrames);
            Interlocked.Exchange(ref _closing, 1);
            Outbox.Complete();
            _socket.Abort();
            TryCancel(TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // aborted, or the peer vanished
            TryCancel(TimeSpan.Zero);
        }
    }

    private async Task ReceiveLoopAsync(Func<ReadOnlyMemory<byte>, WebSocketMessageType, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        var limit = _options.MaxMessageBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    // Once closing, or past the limit, what arrives is read into the start of the buffer and thrown away.
                    var discard = IsClosing || count > limit;
                    result = await _socket.ReceiveAsync(discard ? buffer.AsMemory(0, limit + 1) : buffer.AsMemory(count, limit + 1 - count), cancellationToken).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    if (!discard) count += result.Count;
                    if (count > limit && !IsClosing)
                        Close(WebSocketCloseStatus.MessageTooBig, $"message too big: more than {limit} bytes (limit {limit})");
                } while (!result.EndOfMessage);

                if (IsClosing) continue;
                if (!TryTakeToken())
                {
                    Close(WebSocketCloseStatus.PolicyViolation, $"rate limit: more than {_options.MaxMessagesPerSecond} messages/s sustained");
                    continue;
                }
                await onMessage(buffer.AsMemory(0, count), result.MessageType).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Token bucket: <see cref="TransportOptions.MessageBurst"/> deep, refilled at <see cref="TransportOptions.MaxMessagesPerSecond"/>.</summary>
    private bool TryTakeToken()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(Math.Max(1, _options.MessageBurst), _tokens + (now - _lastRefill) / _ticksPerMessage);
        _lastRefill = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }

    private void TryCancel(TimeSpan after)
    {
        try
        {
            if (after == TimeSpan.Zero) _abort.Cancel();
            else _abort.CancelAfter(after);
        }
        catch (ObjectDisposedException)
        {
            // already finished
        }
    }

    public void Dispose() => _abort.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing client {ClientId} with {Status}: {Reason}")]
    private partial void LogClosing(string clientId, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping client {ClientId}: a send did not complete within {Seconds} s (it stopped reading; {DroppedFrames} video frames dropped before)")]
    private partial void LogSlowConsumer(string clientId, double seconds, long droppedFrames);
}
