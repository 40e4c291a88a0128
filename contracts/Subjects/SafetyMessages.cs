namespace Platform.Contracts.Subjects;

/// <summary>
/// <c>safety.state</c>: the canonical state. <c>state_id</c> only grows; <c>since_ms</c> is how long the mode has held;
/// <c>sources</c> names each active gate (<c>&lt;source&gt;.&lt;kind&gt;</c>) with its mode.
/// </summary>
public sealed record SafetyStateMessage(
    long StateId,
    SafetyMode Mode,
    string Reason,
    long SinceMs,
    IReadOnlyDictionary<string, SafetyMode> Sources);

/// <summary>
/// <c>safety.event.&lt;source&gt;</c>: a source's gate of one kind is now at <c>mode</c> (ARMED lifts it);
/// <c>stale_ms</c> is the age of what triggered it; <c>at</c> is Unix time in milliseconds.
/// </summary>
public sealed record SafetyEventMessage(SafetyEventKind Kind, SafetyMode Mode, long StaleMs, long At, string? Reason = null);

/// <summary><c>telemetry.safety.video_gate</c>.</summary>
public sealed record VideoGateMessage(bool Gated, SafetyMode? Mode, long StaleMs);
