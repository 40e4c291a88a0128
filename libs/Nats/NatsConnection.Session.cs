using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Platform.Nats.Internal;

namespace Platform.Nats;

/// <summary>One socket's life: handshake, then the read, send and keepalive loops until any of them fails.</summary>
public sealed partial class NatsConnection
{
    private readonly NatsUrl _endpoint;
    private readonly ConcurrentQueue<TaskCompletionSource<TimeSpan>?> _pings = new();
    private int _pingsOut;
    private bool _everOpened;

    private sealed class Session(NatsConnection connection, Socket socket, NetworkStream stream, PipeReader reader)
    {
        /// <summary>Runs until the socket fails or the connection is disposed; returns why it ended.</summary>
        public async Task<Exception> RunAsync()
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(connection._disposed.Token);
            var read = connection.ReadLoopAsync(reader, cts.Token);
            var send = connection.SendLoopAsync(socket, cts.Token);
            var ping = connection.PingLoopAsync(cts.Token);
            var first = await Task.WhenAny(read, send, ping).ConfigureAwait(false);
            await cts.CancelAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false); // unblocks a pending receive or send
            try
            {
                await Task.WhenAll(read, send, ping).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // the first failure is the one we report; the rest are its consequences
            }
            await reader.CompleteAsync().ConfigureAwait(false);
            return first.Exception?.InnerException ?? new NatsException("The connection ended.");
        }
    }

    private async Task<Session> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        NetworkStream? stream = null;
        PipeReader? reader = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Opts.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(_endpoint.Host, _endpoint.Port, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));

            var (kind, text) = await ReadControlAsync(reader, timeout.Token).ConfigureAwait(false);
            if (kind != ServerOpKind.Info) throw new NatsProtocolException($"Expected INFO from the server first, got {kind}.");
            var info = ParseInfo(text);
            if (info.TlsRequired) throw new NatsException("The server requires TLS, which this client does not support: connect to a non-TLS listener.");

            await socket.SendAsync(BuildConnect(info), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                (kind, text) = await ReadControlAsync(reader, timeout.Token).ConfigureAwait(false);
                if (kind == ServerOpKind.Pong) break;
                if (kind == ServerOpKind.Ping) await socket.SendAsync("PONG\r\n"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                else if (kind == ServerOpKind.Err) throw new NatsServerException(text ?? "");
                else if (kind == ServerOpKind.Info) info = ParseInfo(text);
            }
            _serverInfo = info;
            Interlocked.Exchange(ref _pingsOut, 0);
            GoLive();
            var reconnected = _everOpened;
            _everOpened = true;
            OnOpened(reconnected);
            return new Session(this, socket, stream, reader);
        }
        catch (Exception ex)
        {
            if (reader is not null) await reader.CompleteAsync().ConfigureAwait(false);
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new TimeoutException($"No NATS handshake with {_endpoint.Display} within {Opts.ConnectTimeout.TotalSeconds:0.#} s (ConnectTimeout).", ex);
            throw;
        }
    }

    private byte[] BuildConnect(NatsServerInfo info)
    {
        var headers = Opts.Headers && info.HeadersSupported;
        var connect = new ConnectOptions
        {
            Verbose = Opts.Verbose,
            Name = Opts.Name,
            Echo = Opts.Echo,
            Headers = headers,
            NoResponders = headers,
            User = _endpoint.User,
            Password = _endpoint.Password,
            AuthToken = _endpoint.Token,
            Version = typeof(NatsConnection).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        };
        var json = JsonSerializer.Serialize(connect, NatsJsonContext.Default.ConnectOptions);
        return Encoding.UTF8.GetBytes($"CONNECT {json}\r\nPING\r\n");
    }

    private static NatsServerInfo ParseInfo(string? json)
    {
        try
        {
            return JsonSerializer.Deserialize(json ?? "", NatsJsonContext.Default.NatsServerInfo)
                ?? throw new NatsProtocolException("Server sent an empty INFO.");
        }
        catch (JsonException ex)
        {
            throw new NatsProtocolException($"Server sent an INFO that is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the next non-message operation during the handshake.</summary>
    private static async Task<(ServerOpKind Kind, string? Text)> ReadControlAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadControl(ref buffer, out var kind, out var text))
            {
                reader.AdvanceTo(buffer.Start); // what follows is unread: the next read must not wait for new bytes
                return (kind, text);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) throw new NatsException("The server closed the connection during the handshake.");
        }
    }

    private static bool TryReadControl(ref ReadOnlySequence<byte> buffer, out ServerOpKind kind, out string? text)
    {
        while (ProtocolParser.TryRead(ref buffer, ProtocolParser.AbsoluteMaxPayload, out var op))
        {
            if (op.Kind == ServerOpKind.Msg || op.Kind == ServerOpKind.Ok) continue;
            kind = op.Kind;
            text = op.Text;
            return true;
        }
        kind = default;
        text = null;
        return false;
    }

    private async Task ReadLoopAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                Dispatch(ref buffer);
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
            if (result.IsCompleted)
            {
                throw new NatsException(buffer.IsEmpty
                    ? $"The server at {_endpoint.Display} closed the connection."
                    : $"The server at {_endpoint.Display} closed the connection in the middle of a frame ({buffer.Length} bytes unparsed).");
            }
        }
    }

    private void Dispatch(ref ReadOnlySequence<byte> buffer)
    {
        var maxPayload = _serverInfo?.MaxPayload ?? ProtocolParser.AbsoluteMaxPayload;
        while (ProtocolParser.TryRead(ref buffer, maxPayload, out var op))
        {
            switch (op.Kind)
            {
                case ServerOpKind.Msg:
                    NatsTelemetry.MessagesReceived.Add(1);
                    NatsTelemetry.BytesReceived.Add(op.Size);
                    if (_subs.TryGetValue(op.Sid, out var sub)) DeliverSafely(sub, ref op);
                    break;
                case ServerOpKind.Ping:
                    WriteControl(ControlCommand.Pong);
                    break;
                case ServerOpKind.Pong:
                    Interlocked.Exchange(ref _pingsOut, 0);
                    if (_pings.TryDequeue(out var waiter)) waiter?.TrySetResult(TimeSpan.Zero);
                    break;
                case ServerOpKind.Err:
                    OnServerError(op.Text ?? "");
                    break;
                case ServerOpKind.Info:
                    _serverInfo = ParseInfo(op.Text);
                    break;
                case ServerOpKind.Ok:
                    break;
            }
        }
    }

    private void DeliverSafely(NatsSubBase sub, ref ServerOp op)
    {
        try
        {
            sub.Deliver(ref op);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A payload the subscriber's type cannot read must not take the connection down.
            Log.DeliveryFailed(_logger, sub.Subject, ex);
        }
    }

    /// <summary>-ERR: permission and subject errors leave the connection open; every other one closes it (protocols.md §1.4).</summary>
    private void OnServerError(string error)
    {
        if (error.StartsWith("Permissions Violation", StringComparison.OrdinalIgnoreCase) || error.StartsWith("Invalid Subject", StringComparison.OrdinalIgnoreCase))
        {
            Log.ServerWarning(_logger, error);
            return;
        }
        throw new NatsServerException(error);
    }

    private async Task SendLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        await using var wake = cancellationToken.UnsafeRegister(static s => ((SendSignal)s!).Set(), _sendSignal).ConfigureAwait(false);
        while (true)
        {
            await _sendSignal.WaitAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            while (TakeBatch() is { } batch)
            {
                try
                {
                    var memory = batch.Buffer.WrittenMemory;
                    while (!memory.IsEmpty)
                    {
                        var sent = await socket.SendAsync(memory, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                        memory = memory[sent..];
                    }
                }
                catch
                {
                    RetainBatch(batch); // sent again, first, after the reconnect
                    throw;
                }
                CompleteBatch(batch);
            }
        }
    }

    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Opts.PingInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Interlocked.Increment(ref _pingsOut) > Opts.MaxPingOut)
                throw new NatsException($"Stale connection to {_endpoint.Display}: {Opts.MaxPingOut} PINGs went unanswered.");
            WriteControl(ControlCommand.Ping);
        }
    }

    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        if (_connectTask is null) await ConnectAsync().ConfigureAwait(false);
        var waiter = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Stopwatch.GetTimestamp();
        if (!WriteControl(ControlCommand.Ping, waiter))
            throw new NatsException($"Cannot PING: not connected to {_endpoint.Display} (state {_state}).");
        await waiter.Task.WaitAsync(Opts.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    private void FailPings(Exception error)
    {
        while (_pings.TryDequeue(out var waiter)) waiter?.TrySetException(error);
    }
}
