using Platform.Contracts.Subjects;

namespace Platform.Transport.Safety;

/// <summary>What the gate decided, for the publisher to carry out: the events to raise and the commands to send once.</summary>
public sealed record VideoGateTransition(SafetyMode Mode, long StaleMs, bool SendLatchZero, bool SendEstop)
{
    public bool Gated => Mode != SafetyMode.Armed;
}

/// <summary>A command's fate at the gate, and the transition it caused (if any).</summary>
public readonly record struct VideoGateDecision(bool Pass, SafetyMode Mode, long StaleMs, VideoGateTransition? Transition);

/// <summary>
/// Layer 2 (ARCHITECTURE.md section 8, seed 000 task 3). Tracks the newest frame of the gated stream. A motion command
/// (set_cmd_vel, set, step) while that frame is older than HoldAfterMs gates: exactly one zero velocity (the latch),
/// HOLD, and motion commands are dropped; older than EstopAfterMs: exactly one estop. Frames resuming lift the gate
/// (the authority keeps its ESTOP latched until an operator's estop_clear). estop, estop_clear, pause, reset and
/// every other non-motion action always pass.
/// <para>
/// Only a motion command can raise HOLD: stale video with nobody driving is not a hazard the transport adds, and a
/// timer-raised HOLD/ESTOP would latch the authority whenever the encoder restarts or is absent (tools on
/// /ws/signals, headless runs), training operators to clear trips blindly; the sim's layer 3 already stops a robot
/// nobody commands. Once HOLD is raised, <see cref="Evaluate"/> (on a timer) escalates it to ESTOP at EstopAfterMs
/// whether or not commands keep coming, so the escalation time does not depend on the operator's next key press.
/// </para>
/// Thread-safe: frames, commands and the timer come from different loops.
/// </summary>
public sealed class VideoGate
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly long _holdTicks;
    private readonly long _estopTicks;
    private long _newestFrame;
    private volatile int _mode; // SafetyMode, read without the lock on the frame path

    public VideoGate(VideoGateOptions options, TimeProvider? time = null)
    {
        if (options.HoldAfterMs <= 0 || options.EstopAfterMs <= options.HoldAfterMs)
            throw new ArgumentException("Transport:VideoGate needs HoldAfterMs > 0 and EstopAfterMs > HoldAfterMs.", nameof(options));
        _time = time ?? TimeProvider.System;
        Stream = options.Stream;
        _holdTicks = options.HoldAfterMs * _time.TimestampFrequency / 1000;
        _estopTicks = options.EstopAfterMs * _time.TimestampFrequency / 1000;
        // No frame yet counts from start: a motion command more than HoldAfterMs after start without any video gates.
        _newestFrame = _time.GetTimestamp();
    }

    public string Stream { get; }

    public SafetyMode Mode => (SafetyMode)_mode;

    /// <summary>Age of the newest frame in milliseconds.</summary>
    public long StaleMs => (long)_time.GetElapsedTime(Interlocked.Read(ref _newestFrame)).TotalMilliseconds;

    public static bool IsMotion(string action) => action is CommandActions.SetCmdVel or CommandActions.Set or CommandActions.Step;

    /// <summary>A frame of the gated stream arrived; lifts the gate when it was raised.</summary>
    public VideoGateTransition? OnFrame()
    {
        var now = _time.GetTimestamp();
        Interlocked.Exchange(ref _newestFrame, now);
        if (_mode == (int)SafetyMode.Armed) return null;
        lock (_lock)
        {
            if (_mode == (int)SafetyMode.Armed) return null;
            _mode = (int)SafetyMode.Armed;
            return new VideoGateTransition(SafetyMode.Armed, 0, SendLatchZero: false, SendEstop: false);
        }
    }

    /// <summary>Decides a command; a motion command on stale video raises the gate (its first time: the latch zero).</summary>
    public VideoGateDecision OnCommand(string action)
    {
        if (!IsMotion(action)) return new VideoGateDecision(true, Mode, StaleMs, null);
        lock (_lock)
        {
            var stale = Stale(out var staleMs);
            var before = (SafetyMode)_mode;
            var target = SafetyModes.Strictest(before, stale);
            var transition = target == before ? null : Raise(before, target, staleMs);
            return new VideoGateDecision(target == SafetyMode.Armed, target, staleMs, transition);
        }
    }

    /// <summary>Escalates a raised HOLD to ESTOP once the video is older than EstopAfterMs (called on a timer).</summary>
    public VideoGateTransition? Evaluate()
    {
        if (_mode != (int)SafetyMode.Hold) return null;
        lock (_lock)
        {
            if (_mode != (int)SafetyMode.Hold) return null;
            return Stale(out var staleMs) == SafetyMode.Estop ? Raise(SafetyMode.Hold, SafetyMode.Estop, staleMs) : null;
        }
    }

    private SafetyMode Stale(out long staleMs)
    {
        var age = _time.GetTimestamp() - Interlocked.Read(ref _newestFrame);
        staleMs = age * 1000 / _time.TimestampFrequency;
        return age > _estopTicks ? SafetyMode.Estop : age > _holdTicks ? SafetyMode.Hold : SafetyMode.Armed;
    }

    private VideoGateTransition Raise(SafetyMode from, SafetyMode to, long staleMs)
    {
        _mode = (int)to;
        // The zero goes out when the gate first closes; the estop when ESTOP is first reached, directly or from HOLD.
        return new VideoGateTransition(to, staleMs, SendLatchZero: from == SafetyMode.Armed, SendEstop: to == SafetyMode.Estop);
    }
}
