namespace Platform.Contracts.Subjects;

/// <summary>
/// <c>safety.state</c>: the canonical state, the same fields as gRPC <c>platform.safety.v1.SafetyState</c>.
/// <c>state_id</c> only grows; <c>since_ms</c> is the Unix time (ms) the mode began; <c>sources</c> holds the latest
/// event of each source and kind, <c>active</c> while it gates.
/// </summary>
public sealed record SafetyStateMessage(
    long StateId,
    SafetyMode Mode,
    string Reason,
    long SinceMs,
    IReadOnlyList<SafetySourceStatus> Sources);

/// <summary>The latest event of one source and kind; <c>at_ms</c> is its Unix time (ms).</summary>
public sealed record SafetySourceStatus(string Source, SafetyEventKind Kind, SafetyMode Mode, long StaleMs, long AtMs, bool Active);

/// <summary>
/// <c>safety.event.&lt;source&gt;</c>: a source's gate of one kind is now at <c>mode</c> (ARMED lifts it);
/// <c>stale_ms</c> is the age of what triggered it; <c>at</c> is Unix time in milliseconds.
/// </summary>
public sealed record SafetyEventMessage(SafetyEventKind Kind, SafetyMode Mode, long StaleMs, long At, string? Reason = null);

/// <summary><c>telemetry.safety.video_gate</c>.</summary>
public sealed record VideoGateMessage(bool Gated, SafetyMode? Mode, long StaleMs);
