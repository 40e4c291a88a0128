using Platform.Contracts.Subjects;
using Platform.SimRunner.Simulation;

namespace Platform.SimRunner.Safety;

/// <summary>
/// Layer-3 safety in the sim (ARCHITECTURE.md section 8), on the loop's tick clock so it is deterministic:
/// set_cmd_vel ordering per source, TTL decay to HOLD and ESTOP, HOLD when the authority falls silent, and the sim's
/// own latched ESTOP. Each tick it first acts on the robots, then reports what changed as safety events.
/// It starts disarmed (HOLD) until an operator sends set_cmd_vel; with no operator it reaches ESTOP after the ESTOP TTL.
/// </summary>
public sealed class Layer3Safety
{
    /// <summary>The source name of the sim's events (<c>safety.event.sim</c>) in the authority's state.</summary>
    public const string SourceName = "sim";

    /// <summary>
    /// How long after its last cmd_ttl event the sim says it again when the authority's state disagrees with it: the
    /// authority publishes at 2 Hz, so one of its states may still predate the event it is processing.
    /// </summary>
    private const int ResendAfterMs = 1000;

    private readonly Layer3Options _options;
    private readonly TimeProvider _time;
    private readonly int _holdTicks;
    private readonly int _estopTicks;
    private readonly int _authorityTicks;
    private readonly int _resendTicks;
    private readonly Dictionary<string, long> _lastSeqBySource = new(StringComparer.Ordinal);
    private readonly List<SafetyEventMessage> _pendingEvents = [];

    private long _lastCmdVelTick;
    private int _lastCmdHoldTicks;
    private bool _everCommanded;
    private long _lastAuthorityTick;
    private long _lastStateId = -1;
    private bool _authorityLost;
    private bool _authorityRestored;
    private SafetyMode _ttlLevel = SafetyMode.Armed;
    private long _lastTtlEventTick;
    private bool _authorityDisagrees;

    public Layer3Safety(Layer3Options options, int ticksPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerSecond, 1);
        if (!(options.CmdTtlHoldMs > 0 && options.CmdTtlEstopMs > options.CmdTtlHoldMs && options.AuthorityTimeoutMs > 0))
            throw new ArgumentException("Layer-3 deadlines must be positive, with CmdTtlEstopMs greater than CmdTtlHoldMs.", nameof(options));
        if (!(options.DecayFactor is >= 0 and < 1) || options.StopBelow < 0)
            throw new ArgumentException("DecayFactor must be in [0, 1) and StopBelow must not be negative.", nameof(options));
        _options = options;
        _time = time ?? TimeProvider.System;
        TicksPerSecond = ticksPerSecond;
        _holdTicks = ToTicks(options.CmdTtlHoldMs);
        _estopTicks = ToTicks(options.CmdTtlEstopMs);
        _authorityTicks = ToTicks(options.AuthorityTimeoutMs);
        _resendTicks = ToTicks(ResendAfterMs);
        _lastCmdHoldTicks = _holdTicks;
        Mode = SafetyMode.Hold;
        Reason = "disarmed: no set_cmd_vel yet";
    }

    public int TicksPerSecond { get; }
    public double MsPerTick => 1000.0 / TicksPerSecond;

    /// <summary>The safety clock: loop ticks since start (it runs while the physics is paused).</summary>
    public long Tick { get; private set; }

    /// <summary>The effective mode: the strictest of the TTL gate, the authority's mode or silence, and the latch.</summary>
    public SafetyMode Mode { get; private set; }

    public string Reason { get; private set; }
    public bool Latched { get; private set; }
    public string? LatchReason { get; private set; }
    public SafetyMode AuthorityMode { get; private set; } = SafetyMode.Armed;
    public bool AuthorityLost => _authorityLost;
    public double CmdAgeMs => (Tick - _lastCmdVelTick) * MsPerTick;
    public double AuthorityAgeMs => (Tick - _lastAuthorityTick) * MsPerTick;

    /// <summary>Deadline in ticks: a deadline that falls inside a tick is met at that tick's end.</summary>
    public int ToTicks(int ms) => (int)Math.Ceiling(ms * (long)TicksPerSecond / 1000.0 - 1e-9);

    /// <summary>Starts a tick: inputs that follow are stamped with it.</summary>
    public void BeginTick() => Tick++;

    /// <summary>
    /// A set_cmd_vel from <paramref name="source"/>: false (ignore it) when its cmd_seq is not newer than the last one
    /// from that source; otherwise it refreshes the command TTL (zeros included: they are the operator's heartbeat).
    /// </summary>
    public bool OnCmdVel(string source, long cmdSeq, int? ttlMs)
    {
        if (_lastSeqBySource.TryGetValue(source, out var last) && cmdSeq <= last) return false;
        _lastSeqBySource[source] = cmdSeq;
        _lastCmdVelTick = Tick;
        _everCommanded = true;
        // A command may ask for a shorter TTL than the configured one, never a longer one.
        _lastCmdHoldTicks = ttlMs is { } ttl ? Math.Min(_holdTicks, Math.Max(1, ToTicks(ttl))) : _holdTicks;
        return true;
    }

    /// <returns>The last cmd_seq seen from <paramref name="source"/>, if any.</returns>
    public long? LastCmdSeq(string source) => _lastSeqBySource.TryGetValue(source, out var s) ? s : null;

    /// <summary>A safety.state from the authority: false when it is older than the last one (ignored).</summary>
    public bool OnAuthorityState(SafetyStateMessage state)
    {
        // After a silence the authority may have restarted; then any state_id is taken as the new baseline.
        if (!_authorityLost && state.StateId < _lastStateId) return false;
        _lastStateId = state.StateId;
        _lastAuthorityTick = Tick;
        AuthorityMode = state.Mode;
        // After the authority restarted (its gates start empty) or missed an event; one that keeps a lifted gate
        // active would refuse every clear.
        _authorityDisagrees = !state.ShowsGate(SourceName, SafetyEventKind.CmdTtl, _ttlLevel);
        if (_authorityLost)
        {
            _authorityLost = false;
            _authorityRestored = true;
        }
        return true;
    }

    /// <summary>An operator's estop: latched at once; the next <see cref="Evaluate"/> stops the robots.</summary>
    public void OnEstop(string reason)
    {
        Latch($"operator estop: {reason}");
        _pendingEvents.Add(Event(SafetyEventKind.Operator, SafetyMode.Estop, 0, reason));
    }

    /// <summary>An operator's estop_clear: refused unless set_cmd_vel is flowing (the operator is present).</summary>
    public (AckStatus Status, string? Reason) OnEstopClear(string @operator)
    {
        if (!Latched) return (AckStatus.Ignored, "ESTOP is not latched");
        if (!IsCmdFresh)
            return (AckStatus.Rejected, _everCommanded
                ? $"no set_cmd_vel for {CmdAgeMs:0} ms: keep sending set_cmd_vel (the 20 Hz heartbeat) while clearing"
                : "no set_cmd_vel yet: keep sending set_cmd_vel (the 20 Hz heartbeat) while clearing");
        Latched = false;
        LatchReason = null;
        _pendingEvents.Add(Event(SafetyEventKind.Operator, SafetyMode.Armed, 0, $"estop cleared by {@operator}"));
        return (AckStatus.Ok, AuthorityMode == SafetyMode.Estop ? "cleared in the sim; the authority is still ESTOP" : null);
    }

    private bool IsCmdFresh => _everCommanded && Tick - _lastCmdVelTick < _lastCmdHoldTicks;

    /// <summary>
    /// Evaluates the gates for this tick, acts on the robots (ESTOP: velocity 0 at once; HOLD: velocity scaled by the
    /// decay factor, 0 below the threshold), then appends the safety events this tick produced.
    /// </summary>
    public SafetyMode Evaluate(World world, ICollection<SafetyEventMessage> events)
    {
        var cmdAge = Tick - _lastCmdVelTick;
        var ttlLevel = cmdAge >= _estopTicks ? SafetyMode.Estop : IsCmdFresh ? SafetyMode.Armed : SafetyMode.Hold;
        if (ttlLevel == SafetyMode.Estop && !Latched) Latch($"cmd_ttl: no set_cmd_vel for {cmdAge * MsPerTick:0} ms");

        var authorityJustLost = false;
        if (!_authorityLost && Tick - _lastAuthorityTick >= _authorityTicks)
        {
            _authorityLost = true;
            authorityJustLost = true;
        }

        var mode = SafetyMode.Armed;
        var reason = "ok";
        void Raise(SafetyMode m, string why)
        {
            if (m <= mode) return;
            mode = m;
            reason = why;
        }
        // The first cause named at a level is the reason: the sim's own latch, then its gates, then the authority's mode.
        if (Latched) Raise(SafetyMode.Estop, $"estop latched ({LatchReason})");
        Raise(ttlLevel, _everCommanded ? $"cmd_ttl: no set_cmd_vel for {cmdAge * MsPerTick:0} ms" : "disarmed: no set_cmd_vel yet");
        if (_authorityLost) Raise(SafetyMode.Hold, $"authority_lost: no safety.state for {AuthorityAgeMs:0} ms");
        Raise(AuthorityMode, $"authority: {AuthorityMode.ToWire()}");

        // Act first.
        if (mode == SafetyMode.Estop)
        {
            foreach (var robot in world.Robots) robot.ForceVelocity(0, 0, 0);
        }
        else if (mode == SafetyMode.Hold)
        {
            foreach (var robot in world.Robots) Decay(robot);
        }
        Mode = mode;
        Reason = reason;

        // Then report.
        foreach (var e in _pendingEvents) events.Add(e);
        _pendingEvents.Clear();
        // A change, or the same level again when the authority shows it otherwise (level, not edge: the authority
        // learns the gate however it lost it). Its next states may predate the event, hence the resend interval.
        var changed = ttlLevel != _ttlLevel;
        if (changed || (_authorityDisagrees && Tick - _lastTtlEventTick >= _resendTicks))
        {
            _ttlLevel = ttlLevel;
            _lastTtlEventTick = Tick;
            _authorityDisagrees = false;
            events.Add(Event(SafetyEventKind.CmdTtl, ttlLevel, (long)Math.Round(cmdAge * MsPerTick), changed ? null : "said again: the authority's state disagreed"));
        }
        if (authorityJustLost)
            events.Add(Event(SafetyEventKind.AuthorityLost, SafetyMode.Hold, (long)Math.Round(AuthorityAgeMs), "no safety.state from the authority"));
        if (_authorityRestored)
        {
            _authorityRestored = false;
            events.Add(Event(SafetyEventKind.AuthorityLost, SafetyMode.Armed, 0, "safety.state received again"));
        }
        return mode;
    }

    private void Decay(Robot robot)
    {
        var f = _options.DecayFactor;
        var vx = robot.Vx * f;
        var vy = robot.Vy * f;
        var wz = robot.Wz * f;
        if (Math.Max(Math.Abs(vx), Math.Max(Math.Abs(vy), Math.Abs(wz))) < _options.StopBelow) vx = vy = wz = 0;
        robot.ForceVelocity(vx, vy, wz);
    }

    private void Latch(string reason)
    {
        if (Latched) return;
        Latched = true;
        LatchReason = reason;
    }

    private SafetyEventMessage Event(SafetyEventKind kind, SafetyMode mode, long staleMs, string? reason)
        => new(kind, mode, staleMs, _time.GetUtcNow().ToUnixTimeMilliseconds(), reason);
}
