using Platform.Contracts.Subjects;

namespace Platform.SafetyAuthority.State;

/// <summary>
/// The canonical safety state (ARCHITECTURE.md section 8). Gates are the active conditions reported on
/// <c>safety.event.&lt;source&gt;</c>, one per source and kind (<c>sim.cmd_ttl</c>, <c>transport.video_gate</c>, ...);
/// an event whose mode is ARMED lifts its gate. Any ESTOP latches; only an operator's estop_clear releases the latch,
/// and only while no gate is active. The mode is ESTOP when latched, else the strictest active gate, else ARMED.
/// Every change of mode, reason or active gates takes a new, larger <c>state_id</c>.
/// Not thread-safe: one owner serializes the inputs.
/// </summary>
public sealed class SafetyStateMachine
{
    private readonly TimeProvider _time;
    private readonly SortedDictionary<string, SafetySourceStatus> _sources = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SafetyMode> _gates = new(StringComparer.Ordinal);
    private DateTimeOffset _since;
    private DateTimeOffset _latchedAt;
    private string _gatesSignature = "";

    public SafetyStateMachine(TimeProvider? time = null, PersistedSafetyState? restored = null)
    {
        _time = time ?? TimeProvider.System;
        _since = _time.GetUtcNow();
        if (restored is not null)
        {
            Latched = restored.Latched;
            LatchReason = restored.Latched ? restored.LatchReason ?? "restored" : null;
            StateId = restored.StateId;
            if (restored.Latched)
                _latchedAt = _since = restored.LatchedAtMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : _since;
        }
        (Mode, Reason) = Compute();
        StateId++;
    }

    public long StateId { get; private set; }
    public SafetyMode Mode { get; private set; }
    public string Reason { get; private set; }
    public bool Latched { get; private set; }
    public string? LatchReason { get; private set; }

    /// <summary>Active gates by <c>&lt;source&gt;.&lt;kind&gt;</c>.</summary>
    public IReadOnlyDictionary<string, SafetyMode> Gates => _gates;

    /// <summary>
    /// Merges a source's event. Returns true when the state changed. Operator events only latch (an operator's
    /// clear must come as estop_clear); the others set or lift the source's gate, and an ESTOP latches.
    /// </summary>
    public bool Apply(string source, SafetyEventMessage e)
    {
        var key = $"{source}.{e.Kind.ToWire()}";
        if (e.Mode == SafetyMode.Estop) Latch(e.Reason is null ? key : $"{key}: {e.Reason}");
        var gates = e.Kind != SafetyEventKind.Operator && e.Mode != SafetyMode.Armed;
        if (gates) _gates[key] = e.Mode;
        else _gates.Remove(key);
        _sources[key] = new SafetySourceStatus(source, e.Kind, e.Mode, e.StaleMs, e.At, gates);
        return Commit();
    }

    /// <summary>An operator's estop: latches. Returns true when the state changed.</summary>
    public bool Estop(string reason)
    {
        Latch($"operator estop: {reason}");
        return Commit();
    }

    /// <summary>An operator's estop_clear: refused with the active gates named while any gate is active.</summary>
    public ClearResult ClearEstop(string @operator)
    {
        if (!Latched) return new(ClearOutcome.NotLatched, "ESTOP is not latched");
        if (_gates.Count > 0)
            return new(ClearOutcome.Refused, "gates still active: " + string.Join(", ", _gates.Select(g => $"{g.Key} ({g.Value.ToWire()})")));
        Latched = false;
        LatchReason = null;
        Commit();
        return new(ClearOutcome.Cleared, $"cleared by {@operator}");
    }

    public SafetyStateMessage Snapshot() => new(StateId, Mode, Reason, _since.ToUnixTimeMilliseconds(), [.. _sources.Values]);

    public PersistedSafetyState Persisted() => new(Latched, LatchReason, StateId, Latched ? _latchedAt.ToUnixTimeMilliseconds() : null);

    private void Latch(string reason)
    {
        if (Latched) return;
        Latched = true;
        LatchReason = reason;
        _latchedAt = _time.GetUtcNow();
    }

    private (SafetyMode Mode, string Reason) Compute()
    {
        if (Latched) return (SafetyMode.Estop, $"estop latched ({LatchReason})");
        if (_gates.Count == 0) return (SafetyMode.Armed, "ok");
        var strictest = _gates.MaxBy(g => g.Value);
        return (strictest.Value, $"{strictest.Key}: {strictest.Value.ToWire()}");
    }

    /// <summary>Recomputes the mode; a change of mode, reason or active gates takes the next state_id.</summary>
    private bool Commit()
    {
        var (mode, reason) = Compute();
        var signature = string.Join(";", _gates.Select(g => $"{g.Key}={(int)g.Value}"));
        if (mode == Mode && reason == Reason && signature == _gatesSignature) return false;
        if (mode != Mode) _since = _time.GetUtcNow();
        Mode = mode;
        Reason = reason;
        _gatesSignature = signature;
        StateId++;
        return true;
    }
}
