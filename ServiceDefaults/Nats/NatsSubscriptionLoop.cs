using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Platform.ServiceDefaults.Nats;

/// <summary>
/// The one way a service subscribes: each <see cref="RunAsync{T}"/>, called from a hosted service, keeps one
/// subscription alive for the host's lifetime. It subscribes (the <c>nats-subscriptions</c> check is ready once every
/// subscription is in place), hands each message to the handler in order (a handler failure is logged and the next
/// message handled), and subscribes again with backoff when the subscription fails or ends. The client resubscribes
/// across reconnects by itself, so the loop only sees failures the client gave up on. Messages wait in the
/// subscription's bounded channel, which never blocks the connection's read loop: when it is full NATS.Net drops a
/// message (the oldest or the newest, per <see cref="NatsSubscriptionOptions.FullMode"/>), and the drops are logged
/// with their count at most once per <see cref="DropReportInterval"/>.
/// </summary>
public sealed partial class NatsSubscriptionLoop : IDisposable
{
    public static readonly TimeSpan DropReportInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly INatsConnection _nats;
    private readonly ILogger<NatsSubscriptionLoop> _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Entry, byte> _entries = new();
    private readonly ConcurrentDictionary<NatsSubBase, Entry> _live = new();

    public NatsSubscriptionLoop(INatsConnection nats, ILogger<NatsSubscriptionLoop> logger, TimeProvider? time = null)
    {
        _nats = nats;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _nats.MessageDropped += OnMessageDropped;
    }

    /// <summary>Subjects of the subscriptions that are not in place (empty when all are).</summary>
    public IReadOnlyList<string> Down => [.. _entries.Keys.Where(e => !e.Up).Select(e => e.Subject).Order(StringComparer.Ordinal)];

    /// <summary>Raw payloads (<c>byte[]</c>) with the default options.</summary>
    public Task RunAsync(string subject, Func<NatsMsg<byte[]>, ValueTask> handle, CancellationToken cancellationToken)
        => RunAsync(subject, handle, NatsSubscriptionOptions.Default, null, cancellationToken);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; never throws otherwise.</summary>
    /// <param name="deserializer">The payload reader; the connection's registry when null.</param>
    public async Task RunAsync<T>(string subject, Func<NatsMsg<T>, ValueTask> handle, NatsSubscriptionOptions options, INatsDeserialize<T>? deserializer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(options);
        if (options.FullMode == BoundedChannelFullMode.Wait)
            throw new ArgumentException("FullMode Wait would let a slow handler stall the connection: use DropNewest or DropOldest.", nameof(options));
        var entry = new Entry(subject, options);
        _entries.TryAdd(entry, 0);
        var subOpts = new NatsSubOpts { ChannelOpts = new NatsSubChannelOpts { Capacity = options.Capacity, FullMode = options.FullMode } };
        var backoff = MinBackoff;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await using var sub = await _nats.SubscribeCoreAsync(subject, options.QueueGroup, deserializer, subOpts, cancellationToken).ConfigureAwait(false);
                    if (sub is NatsSubBase live) _live[live] = entry;
                    entry.Up = true;
                    backoff = MinBackoff;
                    try
                    {
                        await foreach (var msg in sub.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                        {
                            try
                            {
                                await handle(msg).ConfigureAwait(false);
                            }
                            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                            {
                                LogHandlerFailed(ex, msg.Subject);
                            }
                        }
                    }
                    finally
                    {
                        entry.Up = false;
                        if (sub is NatsSubBase ended) _live.TryRemove(ended, out _);
                    }
                    if (!cancellationToken.IsCancellationRequested) LogSubscriptionEnded(subject, backoff.TotalMilliseconds);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    LogSubscriptionFailed(ex, subject, backoff.TotalMilliseconds);
                }
                try
                {
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
        finally
        {
            _entries.TryRemove(entry, out _);
        }
    }

    private ValueTask OnMessageDropped(object? sender, NatsMessageDroppedEventArgs e)
    {
        if (!_live.TryGetValue(e.Subscription, out var entry)) return ValueTask.CompletedTask;
        var dropped = Interlocked.Increment(ref entry.Dropped);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref entry.LastReport);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= DropReportInterval) && Interlocked.CompareExchange(ref entry.LastReport, now, last) == last)
        {
            var reported = Interlocked.Exchange(ref entry.Dropped, 0);
            if (entry.Options.FullMode == BoundedChannelFullMode.DropOldest) LogDroppedOldest(reported, entry.Subject, entry.Options.Capacity);
            else LogDroppedNewest(reported, entry.Subject, entry.Options.Capacity);
        }
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _nats.MessageDropped -= OnMessageDropped;

    private sealed class Entry(string subject, NatsSubscriptionOptions options)
    {
        public string Subject { get; } = subject;
        public NatsSubscriptionOptions Options { get; } = options;
        public volatile bool Up;
        public long Dropped;
        public long LastReport;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message on {Subject} failed; the subscription goes on")]
    private partial void LogHandlerFailed(Exception ex, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription to {Subject} failed; subscribing again in {BackoffMs} ms (is NATS reachable?)")]
    private partial void LogSubscriptionFailed(Exception ex, string subject, double backoffMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription to {Subject} ended; subscribing again in {BackoffMs} ms")]
    private partial void LogSubscriptionEnded(string subject, double backoffMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped the oldest of {Count} message(s) on {Subject}: {Capacity} were waiting for a slow handler (newer ones are kept)")]
    private partial void LogDroppedOldest(long count, string subject, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped {Count} new message(s) on {Subject}: {Capacity} were waiting for a slow handler; they were not handled")]
    private partial void LogDroppedNewest(long count, string subject, int capacity);
}

/// <summary>How a <see cref="NatsSubscriptionLoop"/> subscription queues messages its handler has not taken yet.</summary>
public sealed record NatsSubscriptionOptions
{
    /// <summary>Commands, events and requests: a deep queue, and a full one refuses new messages (logged as errors).</summary>
    public static readonly NatsSubscriptionOptions Default = new();

    /// <summary>Video: only the newest frames matter, so a full queue drops the oldest.</summary>
    public static readonly NatsSubscriptionOptions Video = new() { Capacity = 64, FullMode = BoundedChannelFullMode.DropOldest };

    public int Capacity { get; init; } = 4096;

    /// <summary>DropNewest or DropOldest; Wait would let a slow handler stall the connection's read loop.</summary>
    public BoundedChannelFullMode FullMode { get; init; } = BoundedChannelFullMode.DropNewest;

    public string? QueueGroup { get; init; }
}
