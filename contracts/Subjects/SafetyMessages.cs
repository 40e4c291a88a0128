using System.Text.Json.Serialization;

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
    IReadOnlyList<SafetySourceStatus> Sources)
{
    /// <summary>
    /// Whether this state shows a source's gate of one kind at <paramref name="mode"/> (ARMED: not active). A source
    /// whose own gate differs says it again: gates are events, and an authority that restarted or missed one is wrong.
    /// </summary>
    public bool ShowsGate(string source, SafetyEventKind kind, SafetyMode mode)
    {
        // A state from elsewhere than the authority may lack its sources (JSON without the field).
        var known = (Sources ?? []).FirstOrDefault(s => s.Source == source && s.Kind == kind);
        return mode == SafetyMode.Armed ? known is not { Active: true } : known is { Active: true } && known.Mode == mode;
    }
}

/// <summary>The latest event of one source and kind; <c>at_ms</c> is its Unix time (ms).</summary>
public sealed record SafetySourceStatus(string Source, SafetyEventKind Kind, SafetyMode Mode, long StaleMs, long AtMs, bool Active);

/// <summary>
/// <c>safety.event.&lt;source&gt;</c>: a source's gate of one kind is now at <c>mode</c> (ARMED lifts it);
/// <c>stale_ms</c> is the age of what triggered it; <c>at</c> is Unix time in milliseconds. <c>kind</c>, <c>mode</c> and
/// <c>at</c> are required: a JSON object without them is refused, not read as an ARMED video_gate event of 1970.
/// </summary>
public sealed record SafetyEventMessage(
    [property: JsonRequired] SafetyEventKind Kind,
    [property: JsonRequired] SafetyMode Mode,
    long StaleMs,
    [property: JsonRequired] long At,
    string? Reason = null);

/// <summary><c>telemetry.safety.video_gate</c>.</summary>
public sealed record VideoGateMessage(bool Gated, SafetyMode? Mode, long StaleMs);
