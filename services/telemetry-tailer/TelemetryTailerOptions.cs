namespace Platform.TelemetryTailer;

/// <summary>Settings of the telemetry tailer, bound from the "TelemetryTailer" configuration section.</summary>
public sealed class TelemetryTailerOptions
{
    public const string SectionName = "TelemetryTailer";

    /// <summary>Folder watched for <c>*.jsonl</c> files (one session per file); relative paths are taken from the working directory.</summary>
    public string Directory { get; set; } = "logs/telemetry";

    /// <summary>How often the folder is scanned; watcher events are only hints, the scan catches what they miss.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether to use FileSystemWatcher hints at all (off: the periodic scan alone).</summary>
    public bool UseFileSystemWatcher { get; set; } = true;

    /// <summary>A line longer than this is reported as malformed and skipped without being buffered.</summary>
    public int MaxLineBytes { get; set; } = 1024 * 1024;

    /// <summary>Bytes read per file per pass, so one fast-growing file cannot starve the others.</summary>
    public int MaxReadBytesPerPass { get; set; } = 4 * 1024 * 1024;

    /// <summary>Files already present at start are read from this many bytes before their end, not from their start.</summary>
    public long InitialTailBytes { get; set; } = 1024 * 1024;

    /// <summary>Most records in one telemetry message.</summary>
    public int MaxBatchRecords { get; set; } = 1000;

    /// <summary>Records kept per session for history and snapshots.</summary>
    public int HistorySize { get; set; } = 1000;

    /// <summary>Bytes of records kept per session; whichever of this and <see cref="HistorySize"/> is reached first bounds the ring.</summary>
    public long HistoryMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Rules whose crossing raises an emergency (besides records that carry an <c>emergency</c> object).</summary>
    public List<ThresholdRuleOptions> EmergencyRules { get; set; } = [];

    /// <summary>Batches queued for NATS publishing before they are dropped (NATS never stalls the tail).</summary>
    public int PublishQueueCapacity { get; set; } = 1024;

    /// <summary>Messages queued per WebSocket client before its telemetry is dropped.</summary>
    public int ClientQueueCapacity { get; set; } = 256;

    /// <summary>A client that keeps dropping for this long is disconnected as a slow consumer.</summary>
    public TimeSpan SlowClientGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest client message accepted; larger ones get an error reply.</summary>
    public int MaxClientMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Server ping interval (seed 003: every 30 s).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A client that does not answer a ping within this time is dropped.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a closing handshake may take before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>A threshold rule as written in configuration, e.g. { "Field": "telemetry.phi", "Op": ">", "Value": 0.9 }.</summary>
public sealed class ThresholdRuleOptions
{
    public string Field { get; set; } = "";
    public string Op { get; set; } = ">";
    public double Value { get; set; }
    public string Severity { get; set; } = "high";
}
