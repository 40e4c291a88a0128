using Platform.Transport.Safety;

namespace Platform.Transport;

/// <summary>Settings of the transport, bound from the "Transport" configuration section.</summary>
public sealed class TransportOptions
{
    public const string SectionName = "Transport";

    /// <summary>Stream a <c>/stream/ws</c> client watches when it gives no <c>?stream=</c>.</summary>
    public string DefaultStream { get; set; } = "main";

    /// <summary>Session a client belongs to when it gives no <c>?session=</c>.</summary>
    public string DefaultSession { get; set; } = "default";

    /// <summary>Largest client message; a larger one closes the connection with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Client messages per second sustained; beyond this (after <see cref="MessageBurst"/>) the connection is closed with 1008.</summary>
    public int MaxMessagesPerSecond { get; set; } = 200;

    /// <summary>Messages a client may send at once above the sustained rate.</summary>
    public int MessageBurst { get; set; } = 400;

    /// <summary>Video frames queued per client; beyond this it skips to the next keyframe.</summary>
    public int MaxQueuedVideoFrames { get; set; } = 30;

    /// <summary>Bytes of video queued per client; beyond this it skips to the next keyframe.</summary>
    public int MaxQueuedVideoBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Telemetry messages queued per client; beyond this the oldest is dropped.</summary>
    public int MaxQueuedTelemetry { get; set; } = 256;

    /// <summary>Replies and notices queued per client; beyond this the oldest is dropped.</summary>
    public int MaxQueuedControl { get; set; } = 256;

    /// <summary>A client whose socket does not take a message for this long is aborted and removed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a closing handshake may take before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Server ping interval (keeps idle connections through proxies and finds dead peers).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Least time between two keyframe requests to the encoder for one stream (section 7: one per 500 ms).</summary>
    public TimeSpan KeyframeRequestInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a keyframe request waits for the encoder's reply.</summary>
    public TimeSpan KeyframeRequestTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a <c>/ws/signals</c> command waits for the sim's ack on telemetry.command.ack.</summary>
    public TimeSpan CommandAckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the sim's schema is requested again (and how long a request waits).</summary>
    public TimeSpan SchemaRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan SchemaRequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>HERT frame rate of a <c>/ws/signals</c> subscription that names none.</summary>
    public double DefaultSignalsRateHz { get; set; } = 60;

    public VideoGateOptions VideoGate { get; set; } = new();
}
