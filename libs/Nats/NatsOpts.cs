using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.Nats;

/// <summary>
/// Connection options, shaped like NATS.Net v2's <c>NatsOpts</c>. Defaults follow the official clients
/// (ARCHITECTURE.md and protocols.md §1.6). Use <c>NatsOpts.Default with { ... }</c>.
/// </summary>
public sealed record NatsOpts
{
    /// <summary>A fresh instance with every default (properties are settable, so never share one).</summary>
    public static NatsOpts Default => new();

    /// <summary><c>nats://host:port</c>, <c>nats://user:pass@host:port</c> or <c>nats://token@host:port</c>.</summary>
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    public string Name { get; set; } = "Platform.Nats";

    /// <summary>Deliver our own publishes to our own matching subscriptions.</summary>
    public bool Echo { get; set; } = true;

    /// <summary>Ask the server for +OK after every command (debugging only).</summary>
    public bool Verbose { get; set; }

    /// <summary>Use HPUB/HMSG headers (required for no-responders and tracing).</summary>
    public bool Headers { get; set; } = true;

    public TimeSpan PingInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Unanswered PINGs after which the connection counts as dead and is replaced.</summary>
    public int MaxPingOut { get; set; } = 2;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReconnectWaitMin { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan ReconnectWaitMax { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectJitter { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Reconnect attempts before giving up and closing; -1 retries forever.</summary>
    public int MaxReconnectRetry { get; set; } = -1;

    /// <summary>Keep retrying the first connect in the background instead of failing <c>ConnectAsync</c>.</summary>
    public bool RetryOnInitialConnect { get; set; }

    /// <summary>Bytes of publishes buffered while disconnected; beyond this publishing fails with <see cref="NatsReconnectBufferFullException"/>.</summary>
    public int ReconnectBufferSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>Messages queued per subscription; when full, new messages are dropped (counted and logged).</summary>
    public int SubPendingChannelCapacity { get; set; } = 1024;

    public string InboxPrefix { get; set; } = "_INBOX";

    public INatsSerializerRegistry SerializerRegistry { get; set; } = NatsDefaultSerializerRegistry.Default;

    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;
}
