using System.Buffers;
using Platform.Nats.Internal;

namespace Platform.Nats;

/// <summary>
/// The outbound side: commands are written, under one lock, into the active buffer; the send loop swaps it with
/// a spare and writes it to the socket in one call (natural batching). While no socket is up, publishes stay in
/// the buffer up to <see cref="NatsOpts.ReconnectBufferSize"/>; a batch whose send failed is kept and sent first
/// after the reconnect, behind the re-subscriptions.
/// </summary>
public sealed partial class NatsConnection
{
    /// <summary>Above this many unsent bytes a connected publisher waits for the socket (backpressure).</summary>
    private const int HighWaterMark = 4 * 1024 * 1024;

    private readonly Lock _writeGate = new();
    private readonly SendSignal _sendSignal = new();
    private PooledBufferWriter _active = new();
    private PooledBufferWriter? _spare = new();
    private Batch? _retained;
    private TaskCompletionSource? _activeSent;
    private bool _sessionReady;
    private int _bufferedWhileDown;
    private Exception? _closedError;

    private enum ControlCommand
    {
        Ping,
        Pong,
    }

    /// <summary>A buffer taken by the send loop, with whoever waits for it to reach the socket.</summary>
    private sealed record Batch(PooledBufferWriter Buffer, TaskCompletionSource? Sent);

    private void Signal() => _sendSignal.Set();

    /// <summary>Writes a publish; the returned task completes at once unless backpressure or WaitUntilSent applies.</summary>
    private ValueTask WritePublish(string subject, string? replyTo, NatsHeaders? headers, ReadOnlySpan<byte> payload, bool waitUntilSent)
    {
        var headerSize = headers is null ? 0 : HeaderCodec.Measure(headers);
        var size = headerSize + payload.Length;
        var maxPayload = _serverInfo?.MaxPayload ?? 1024 * 1024;
        if (size > maxPayload) throw new NatsPayloadTooLargeException(subject, size, maxPayload);
        Task? wait = null;
        lock (_writeGate)
        {
            if (_closedError is not null) throw new NatsException($"The NATS connection is closed: {_closedError.Message}", _closedError);
            if (!_sessionReady)
            {
                var cost = size + subject.Length + (replyTo?.Length ?? 0) + 32;
                if (_bufferedWhileDown + cost > Opts.ReconnectBufferSize) throw new NatsReconnectBufferFullException(subject, Opts.ReconnectBufferSize);
                _bufferedWhileDown += cost;
            }
            ProtocolWriter.WritePub(_active, subject, replyTo, headers, headerSize, payload);
            if (waitUntilSent || (_sessionReady && _active.WrittenCount > HighWaterMark))
                wait = (_activeSent ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        Signal();
        NatsTelemetry.MessagesSent.Add(1);
        NatsTelemetry.BytesSent.Add(size);
        return wait is null ? ValueTask.CompletedTask : new ValueTask(wait);
    }

    /// <summary>PING/PONG go out only on a live socket; false when there is none.</summary>
    private bool WriteControl(ControlCommand command, TaskCompletionSource<TimeSpan>? pingWaiter = null)
    {
        lock (_writeGate)
        {
            if (!_sessionReady) return false;
            if (command == ControlCommand.Ping)
            {
                _pings.Enqueue(pingWaiter); // enqueued in write order, so PONGs pair up with PINGs
                ProtocolWriter.WritePing(_active);
            }
            else
            {
                ProtocolWriter.WritePong(_active);
            }
        }
        Signal();
        return true;
    }

    /// <summary>SUB (and UNSUB max) for a new subscription; sent now if connected, otherwise at the next handshake.</summary>
    private Task WriteSubscribe(NatsSubBase sub)
    {
        Task? sent = null;
        lock (_writeGate)
        {
            if (!_sessionReady) return Task.CompletedTask;
            WriteSubLines(sub);
            sent = (_activeSent ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        Signal();
        return sent;
    }

    private void WriteUnsubscribe(long sid)
    {
        lock (_writeGate)
        {
            if (!_sessionReady) return;
            ProtocolWriter.WriteUnsub(_active, sid, null);
        }
        Signal();
    }

    private void WriteSubLines(NatsSubBase sub)
    {
        ProtocolWriter.WriteSub(_active, sub.Sid, sub.Subject, sub.QueueGroup);
        if (sub.Remaining is { } remaining) ProtocolWriter.WriteUnsub(_active, sub.Sid, remaining);
    }

    /// <summary>After a handshake: re-subscribe everything, then queue what the last socket failed to send, then what was buffered.</summary>
    private void GoLive()
    {
        lock (_writeGate)
        {
            var pending = _active;
            _active = new PooledBufferWriter(Math.Max(64 * 1024, pending.WrittenCount + (_retained?.Buffer.WrittenCount ?? 0) + 4096));
            foreach (var sub in _subs.Values) WriteSubLines(sub);
            var sent = _activeSent;
            if (_retained is { } retained)
            {
                _active.Write(retained.Buffer.WrittenSpan);
                if (retained.Sent is { } retainedSent)
                {
                    if (sent is null) sent = retainedSent;
                    else sent.Task.ContinueWith(_ => retainedSent.TrySetResult(), TaskScheduler.Default);
                }
                retained.Buffer.Dispose();
                _retained = null;
            }
            _active.Write(pending.WrittenSpan);
            _activeSent = sent;
            pending.Reset();
            _spare?.Dispose();
            _spare = pending;
            _bufferedWhileDown = 0;
            _sessionReady = true;
        }
        Signal();
    }

    private void MarkSessionDown(Exception error)
    {
        lock (_writeGate)
        {
            _sessionReady = false;
            _bufferedWhileDown = 0;
        }
        FailPings(new NatsException($"Disconnected before the PONG arrived: {error.Message}", error));
    }

    private Batch? TakeBatch()
    {
        lock (_writeGate)
        {
            if (!_sessionReady || _active.WrittenCount == 0 || _spare is null) return null;
            var batch = new Batch(_active, _activeSent);
            _active = _spare;
            _spare = null;
            _activeSent = null;
            return batch;
        }
    }

    private void CompleteBatch(Batch batch)
    {
        batch.Buffer.Reset();
        lock (_writeGate)
        {
            _spare = batch.Buffer;
        }
        batch.Sent?.TrySetResult();
    }

    private void RetainBatch(Batch batch)
    {
        lock (_writeGate)
        {
            _retained = batch;
        }
    }

    /// <summary>On dispose: give what is queued a short chance to reach the server.</summary>
    private async Task FlushBeforeCloseAsync()
    {
        Task? sent = null;
        lock (_writeGate)
        {
            if (_sessionReady && _active.WrittenCount > 0)
                sent = (_activeSent ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (sent is null) return;
        Signal();
        try
        {
            await sent.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.UnsentOnDispose(_logger, _endpoint.Display);
        }
    }

    private void FailOutbound(Exception error)
    {
        int unsent;
        lock (_writeGate)
        {
            _closedError ??= error;
            _sessionReady = false;
            unsent = _active.WrittenCount + (_retained?.Buffer.WrittenCount ?? 0);
            _activeSent?.TrySetException(error);
            _retained?.Sent?.TrySetException(error);
            _activeSent = null;
            _active.Reset();
        }
        if (unsent > 0 && error is not ObjectDisposedException) Log.UnsentOnClose(_logger, _endpoint.Display, unsent);
        FailPings(error);
    }

    private void DisposeOutbound()
    {
        lock (_writeGate)
        {
            _active.Dispose();
            _spare?.Dispose();
            _retained?.Buffer.Dispose();
            _spare = null;
            _retained = null;
        }
    }
}
