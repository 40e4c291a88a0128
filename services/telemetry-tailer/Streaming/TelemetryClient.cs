using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Wire;

namespace Platform.TelemetryTailer.Streaming;

/// <summary>
/// One <c>/ws/telemetry</c> connection: its subscriptions, its bounded queue, a send loop and a receive loop.
/// A full queue drops what is offered (the client is told how much before its next message); a client that keeps
/// dropping for <see cref="TelemetryTailerOptions.SlowClientGrace"/> is closed with status 1008 and the reason.
/// </summary>
public sealed partial class TelemetryClient : IDisposable
{
    private const string AllSessions = "\0all";
    private const string ClientClosed = "client closed";
    private readonly Channel<Outgoing> _queue;
    private readonly TelemetryTailerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, IReadOnlyList<ThresholdRule>?> _subscriptions = new(StringComparer.Ordinal); // guarded by the hub's lock
    private long _droppedRecords;
    private long _droppedMessages;
    private long _totalDropped;
    private long _dropStartedAt; // Stopwatch timestamp of the first drop since the queue last emptied; 0 when none
    private string? _closeReason;

    public TelemetryClient(string id, TelemetryTailerOptions options, ILogger logger)
    {
        Id = id;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(Math.Max(1, options.ClientQueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // only TryWrite is used: a full queue refuses instead of waiting
        });
    }

    public string Id { get; }

    internal void SetSubscription(string? sessionId, IReadOnlyList<ThresholdRule>? filter) => _subscriptions[sessionId ?? AllSessions] = filter;

    internal bool RemoveSubscription(string? sessionId)
    {
        if (sessionId is not null) return _subscriptions.Remove(sessionId);
        var had = _subscriptions.Count > 0;
        _subscriptions.Clear();
        return had;
    }

    /// <summary>Whether the client takes this session; a subscription to the session itself wins over one to all.</summary>
    internal bool TryMatch(string sessionId, out IReadOnlyList<ThresholdRule>? filter)
        => _subscriptions.TryGetValue(sessionId, out filter) || _subscriptions.TryGetValue(AllSessions, out filter);

    /// <summary>Queues an item without waiting; a full queue drops it.</summary>
    public void Offer(Outgoing item)
    {
        if (_closeReason is not null || _queue.Writer.TryWrite(item)) return;
        Interlocked.Add(ref _droppedRecords, item.Records);
        Interlocked.Add(ref _totalDropped, item.Records);
        Interlocked.Increment(ref _droppedMessages);
        var now = Stopwatch.GetTimestamp();
        var since = Interlocked.CompareExchange(ref _dropStartedAt, now, 0);
        if (since != 0 && Stopwatch.GetElapsedTime(since, now) > _options.SlowClientGrace)
            Close($"slow consumer: {Interlocked.Read(ref _totalDropped)} records dropped in {Stopwatch.GetElapsedTime(since, now).TotalSeconds:0.#} s");
    }

    /// <summary>Ends the connection: the send loop stops, a close frame with the reason goes out, the socket is aborted after the close timeout.</summary>
    public void Close(string reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null) return;
        if (reason != ClientClosed) LogClosing(Id, reason);
        _queue.Writer.TryComplete();
        try
        {
            _stop.CancelAfter(_options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // already finished
        }
    }

    public async Task RunAsync(WebSocket socket, TelemetryCommands commands, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var sending = SendLoopAsync(socket, linked.Token);
        try
        {
            await ReceiveLoopAsync(socket, commands, linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // the peer vanished, or the close timed out
        }
        finally
        {
            Close(ClientClosed);
            await sending;
            if (socket.State != WebSocketState.Closed) socket.Abort();
        }
    }

    private async Task SendLoopAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var messages = new List<byte[]>(4);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (_closeReason is null && reader.TryRead(out var item))
                {
                    var droppedRecords = Interlocked.Exchange(ref _droppedRecords, 0);
                    var droppedMessages = Interlocked.Exchange(ref _droppedMessages, 0);
                    if (droppedMessages > 0) messages.Add(WireMessages.Dropped(droppedRecords, droppedMessages));
                    item.AddMessages(messages);
                    foreach (var message in messages)
                        await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                    messages.Clear();
                }
                if (_closeReason is not null) break;
                Interlocked.Exchange(ref _dropStartedAt, 0); // drained: the client keeps up again
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                var status = _closeReason == ClientClosed ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.PolicyViolation;
                await socket.CloseOutputAsync(status, WebSocketCloseReason.Fit(_closeReason ?? ClientClosed), cancellationToken);
            }
            _stop.CancelAfter(_options.CloseTimeout); // the receive loop waits that long for the peer's close
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            TryCancel();
        }
    }

    private void TryCancel()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already finished
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket, TelemetryCommands commands, CancellationToken cancellationToken)
    {
        var limit = _options.MaxClientMessageBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            while (true)
            {
                var count = 0;
                long total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    // Past the limit the rest of the message is read into the buffer and thrown away.
                    var target = count < buffer.Length ? buffer.AsMemory(count) : buffer.AsMemory();
                    result = await socket.ReceiveAsync(target, cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    total += result.Count;
                    if (count < buffer.Length) count += result.Count;
                } while (!result.EndOfMessage);

                if (total > limit)
                    Offer(new MessageOutgoing(WireMessages.Error($"Message of {total} bytes exceeds the limit of {limit} bytes")));
                else if (result.MessageType == WebSocketMessageType.Binary)
                    Offer(new MessageOutgoing(WireMessages.Error("Binary messages are not supported: send JSON text")));
                else
                    commands.Handle(this, buffer.AsSpan(0, count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _stop.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing telemetry client {ClientId}: {Reason}")]
    private partial void LogClosing(string clientId, string reason);
}
