using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Platform.Nats.Internal;
using Polly;
using Polly.Retry;

namespace Platform.Nats;

/// <summary>
/// A NATS connection (shape of NATS.Net v2's <c>NatsConnection</c>). One socket at a time; when it dies the
/// connection reconnects with backoff and jitter, re-subscribes, and sends what was buffered meanwhile.
/// </summary>
public sealed partial class NatsConnection : INatsConnection
{
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<long, NatsSubBase> _subs = new();
    private readonly Lock _stateGate = new();
    private readonly ResiliencePipeline _reconnectPipeline;
    private Task? _connectTask;
    private Task? _runLoop;
    private volatile NatsConnectionState _state = NatsConnectionState.Closed;
    private volatile NatsServerInfo? _serverInfo;
    private long _nextSid;

    public NatsConnection() : this(NatsOpts.Default) { }

    public NatsConnection(NatsOpts opts)
    {
        Opts = opts;
        _logger = opts.LoggerFactory.CreateLogger("Platform.Nats.NatsConnection");
        var server = NatsUrl.Parse(opts.Url);
        _endpoint = server;
        _inboxPrefix = $"{opts.InboxPrefix}.{Nuid.Next()}";
        _reconnectPipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException || !_disposed.IsCancellationRequested),
                MaxRetryAttempts = opts.MaxReconnectRetry < 0 ? int.MaxValue : Math.Max(opts.MaxReconnectRetry, 0),
                DelayGenerator = args => new ValueTask<TimeSpan?>(ReconnectDelay(args.AttemptNumber)),
                OnRetry = args => OnReconnectFailedAsync(args.AttemptNumber + 1, args.Outcome.Exception),
            })
            .Build();
    }

    public NatsOpts Opts { get; }

    public NatsConnectionState ConnectionState => _state;

    public NatsServerInfo? ServerInfo => _serverInfo;

    public event AsyncEventHandler<NatsEventArgs>? ConnectionOpened;
    public event AsyncEventHandler<NatsEventArgs>? ConnectionDisconnected;
    public event AsyncEventHandler<NatsEventArgs>? ReconnectFailed;
    public event AsyncEventHandler<NatsMessageDroppedEventArgs>? MessageDropped;

    /// <summary>Connects (once; later calls wait for the same attempt). Fails with a clear error unless <see cref="NatsOpts.RetryOnInitialConnect"/>.</summary>
    public ValueTask ConnectAsync()
    {
        Task task;
        lock (_stateGate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (_state == NatsConnectionState.Open) return ValueTask.CompletedTask;
            _connectTask ??= ConnectCoreAsync();
            task = _connectTask;
        }
        return new ValueTask(task);
    }

    private async Task ConnectCoreAsync()
    {
        _state = NatsConnectionState.Connecting;
        Session session;
        try
        {
            session = await OpenSessionAsync(_disposed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!Opts.RetryOnInitialConnect && !_disposed.IsCancellationRequested)
        {
            lock (_stateGate)
            {
                _state = NatsConnectionState.Closed;
                _connectTask = null;
            }
            throw new NatsException($"Could not connect to NATS at {_endpoint.Display}: {ex.Message}. Check that nats-server runs there (ConnectionStrings / NatsOpts.Url).", ex);
        }
        catch (Exception ex) when (Opts.RetryOnInitialConnect && !_disposed.IsCancellationRequested)
        {
            Log.ConnectFailedRetrying(_logger, _endpoint.Display, ex.Message);
            session = await ReconnectAsync().ConfigureAwait(false);
        }
        _runLoop = RunAsync(session);
    }

    /// <summary>Runs sessions one after another until disposed or reconnecting gives up.</summary>
    private async Task RunAsync(Session session)
    {
        while (true)
        {
            var error = await session.RunAsync().ConfigureAwait(false);
            if (_disposed.IsCancellationRequested) return;
            OnSessionLost(error);
            try
            {
                session = await ReconnectAsync().ConfigureAwait(false);
                NatsTelemetry.Reconnects.Add(1);
            }
            catch (Exception ex) when (!_disposed.IsCancellationRequested)
            {
                var closed = new NatsException($"NATS connection to {_endpoint.Display} closed after {Opts.MaxReconnectRetry} failed reconnect attempts: {ex.Message}", ex);
                Log.GaveUp(_logger, _endpoint.Display, Opts.MaxReconnectRetry, ex);
                CloseForGood(closed);
                return;
            }
            catch (Exception) when (_disposed.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void OnSessionLost(Exception error)
    {
        MarkSessionDown(error);
        _state = NatsConnectionState.Reconnecting;
        Log.Disconnected(_logger, _endpoint.Display, error.Message);
        Raise(ConnectionDisconnected, new NatsEventArgs($"Disconnected from {_endpoint.Display}: {error.Message}"));
    }

    private async Task<Session> ReconnectAsync()
    {
        _state = NatsConnectionState.Reconnecting;
        return await _reconnectPipeline.ExecuteAsync(
            static async (self, ct) => await self.OpenSessionAsync(ct).ConfigureAwait(false), this, _disposed.Token).ConfigureAwait(false);
    }

    /// <summary>min(ReconnectWaitMin * 2^attempt, ReconnectWaitMax) plus up to ReconnectJitter (protocols.md §1.6).</summary>
    private TimeSpan ReconnectDelay(int attempt)
    {
        var min = Opts.ReconnectWaitMin.TotalMilliseconds;
        var backoff = Math.Min(min * Math.Pow(2, Math.Min(attempt, 16)), Math.Max(Opts.ReconnectWaitMax.TotalMilliseconds, min));
        var jitter = Random.Shared.NextDouble() * Opts.ReconnectJitter.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(backoff + jitter);
    }

    private ValueTask OnReconnectFailedAsync(int attempt, Exception? error)
    {
        Log.ReconnectFailed(_logger, _endpoint.Display, attempt, error?.Message);
        Raise(ReconnectFailed, new NatsEventArgs($"Reconnect attempt {attempt} to {_endpoint.Display} failed: {error?.Message}"));
        return ValueTask.CompletedTask;
    }

    private void OnOpened(bool reconnected)
    {
        _state = NatsConnectionState.Open;
        Log.Connected(_logger, _endpoint.Display, _serverInfo?.Version, reconnected);
        Raise(ConnectionOpened, new NatsEventArgs(reconnected ? $"Reconnected to {_endpoint.Display}" : $"Connected to {_endpoint.Display}"));
    }

    internal void OnMessageDropped(NatsSubBase sub, string subject, int pending, long droppedTotal)
    {
        NatsTelemetry.MessagesDropped.Add(1);
        if (droppedTotal == 1 || droppedTotal % 1000 == 0) Log.SlowConsumer(_logger, sub.Subject, subject, pending, droppedTotal);
        if (MessageDropped is not null) Raise(MessageDropped, new NatsMessageDroppedEventArgs(sub.Subject, subject, pending, droppedTotal));
    }

    /// <summary>Events run off the read loop so a slow handler never stalls the socket.</summary>
    private void Raise<TArgs>(AsyncEventHandler<TArgs>? handler, TArgs args)
    {
        if (handler is null) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await handler(this, args).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.EventHandlerFailed(_logger, ex);
            }
        });
    }

    /// <summary>Reconnecting gave up: fail everything that waits, end every subscription.</summary>
    private void CloseForGood(Exception error)
    {
        _state = NatsConnectionState.Closed;
        FailOutbound(error);
        FailPendingRequests(error);
        // Disposing ends subscriptions normally; giving up on the server ends them with the reason.
        foreach (var sub in _subs.Values) sub.Complete(error is ObjectDisposedException ? null : error);
        _subs.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_stateGate)
        {
            if (_disposed.IsCancellationRequested) return;
        }
        await FlushBeforeCloseAsync().ConfigureAwait(false);
        lock (_stateGate)
        {
            _disposed.Cancel();
        }
        if (_connectTask is { } connect) await connect.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        if (_runLoop is { } run) await run.ConfigureAwait(false);
        CloseForGood(new ObjectDisposedException(nameof(NatsConnection), "The NATS connection was disposed."));
        DisposeOutbound();
    }
}
