namespace Platform.SafetyAuthority.Hosting;

/// <summary>Bound from <c>SafetyAuthority</c>.</summary>
public sealed class SafetyAuthorityOptions
{
    /// <summary>safety.state is published on every change and at least this often (2 Hz).</summary>
    public int PublishIntervalMs { get; set; } = 500;

    /// <summary>JetStream key-value bucket that keeps the latch across restarts.</summary>
    public string KvBucket { get; set; } = "safety-authority";

    public string KvKey { get; set; } = "latch";

    /// <summary>How long a change waits for its write to the bucket before it is announced anyway (and the write retried).</summary>
    public int PersistTimeoutMs { get; set; } = 1000;

    /// <summary>How long start-up keeps trying to read the latch before it starts latched (fail-safe).</summary>
    public int LatchLoadTimeoutMs { get; set; } = 10_000;
}
