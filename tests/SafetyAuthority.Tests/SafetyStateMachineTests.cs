using Platform.Contracts.Subjects;
using Platform.SafetyAuthority.State;
using Platform.TestSupport;

namespace Platform.SafetyAuthority.Tests;

public sealed class SafetyStateMachineTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static SafetyEventMessage Event(SafetyEventKind kind, SafetyMode mode) => new(kind, mode, 0, 0);

    [Fact]
    public void StartsArmedWithAPositiveStateId()
    {
        var sm = new SafetyStateMachine(_time);
        var s = sm.Snapshot();
        Assert.Equal((SafetyMode.Armed, "ok"), (s.Mode, s.Reason));
        Assert.True(s.StateId > 0);
        Assert.Empty(s.Sources);
        Assert.Empty(sm.Gates);
    }

    [Fact]
    public void AGateHoldsUntilItsSourceLiftsIt()
    {
        var sm = new SafetyStateMachine(_time);
        var id = sm.StateId;
        Assert.True(sm.Apply("transport", Event(SafetyEventKind.VideoGate, SafetyMode.Hold)));
        Assert.Equal(SafetyMode.Hold, sm.Mode);
        Assert.Equal("transport.video_gate: HOLD", sm.Reason);
        var source = Assert.Single(sm.Snapshot().Sources);
        Assert.Equal(("transport", SafetyEventKind.VideoGate, SafetyMode.Hold, true), (source.Source, source.Kind, source.Mode, source.Active));
        Assert.True(sm.StateId > id);

        id = sm.StateId;
        Assert.False(sm.Apply("transport", Event(SafetyEventKind.VideoGate, SafetyMode.Hold)));
        Assert.Equal(id, sm.StateId); // a repeat is no change

        Assert.True(sm.Apply("sim", Event(SafetyEventKind.CmdTtl, SafetyMode.Hold)));
        Assert.True(sm.Apply("transport", Event(SafetyEventKind.VideoGate, SafetyMode.Armed)));
        Assert.Equal(SafetyMode.Hold, sm.Mode); // the sim's gate is still up
        Assert.True(sm.Apply("sim", Event(SafetyEventKind.CmdTtl, SafetyMode.Armed)));
        Assert.Equal(SafetyMode.Armed, sm.Mode);
        Assert.Equal(2, sm.Snapshot().Sources.Count);
        Assert.All(sm.Snapshot().Sources, s => Assert.False(s.Active));
        Assert.False(sm.Latched);
    }

    [Fact]
    public void AnEstopEventLatchesAndClearIsRefusedWhileAnyGateIsActive()
    {
        var sm = new SafetyStateMachine(_time);
        sm.Apply("transport", Event(SafetyEventKind.VideoGate, SafetyMode.Estop));
        Assert.Equal(SafetyMode.Estop, sm.Mode);
        Assert.True(sm.Latched);

        var refused = sm.ClearEstop("alice");
        Assert.Equal(ClearOutcome.Refused, refused.Outcome);
        Assert.Contains("transport.video_gate (ESTOP)", refused.Reason);

        sm.Apply("transport", Event(SafetyEventKind.VideoGate, SafetyMode.Armed));
        Assert.Equal(SafetyMode.Estop, sm.Mode); // latched: lifting the gate is not enough
        sm.Apply("sim", Event(SafetyEventKind.AuthorityLost, SafetyMode.Hold));
        Assert.Equal(ClearOutcome.Refused, sm.ClearEstop("alice").Outcome);
        sm.Apply("sim", Event(SafetyEventKind.AuthorityLost, SafetyMode.Armed));

        var id = sm.StateId;
        var cleared = sm.ClearEstop("alice");
        Assert.Equal(ClearOutcome.Cleared, cleared.Outcome);
        Assert.Equal(SafetyMode.Armed, sm.Mode);
        Assert.True(sm.StateId > id);
        Assert.Equal(ClearOutcome.NotLatched, sm.ClearEstop("alice").Outcome);
    }

    [Fact]
    public void OperatorEventsLatchButNeverClearNorGate()
    {
        var sm = new SafetyStateMachine(_time);
        sm.Apply("sim", Event(SafetyEventKind.Operator, SafetyMode.Estop));
        Assert.True(sm.Latched);
        Assert.Empty(sm.Gates);
        sm.Apply("sim", Event(SafetyEventKind.Operator, SafetyMode.Armed));
        Assert.Equal(SafetyMode.Estop, sm.Mode);
        Assert.Equal(ClearOutcome.Cleared, sm.ClearEstop("bob").Outcome);
    }

    [Fact]
    public void OperatorEstopLatchesOnceAndSinceCountsFromTheModeChange()
    {
        var sm = new SafetyStateMachine(_time);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(sm.Estop("button"));
        var id = sm.StateId;
        Assert.False(sm.Estop("again"));
        Assert.Equal(id, sm.StateId);
        Assert.Contains("operator estop: button", sm.Reason);
        _time.Advance(TimeSpan.FromMilliseconds(750));
        Assert.Equal(_time.GetUtcNow().AddMilliseconds(-750).ToUnixTimeMilliseconds(), sm.Snapshot().SinceMs);
    }

    [Fact]
    public void ARestoredLatchIsStillEstopAndIdsKeepGrowing()
    {
        var first = new SafetyStateMachine(_time);
        first.Estop("before restart");
        var latchedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var persisted = first.Persisted();
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = new SafetyStateMachine(_time, persisted);
        Assert.Equal(SafetyMode.Estop, second.Mode);
        Assert.Equal(latchedAt, second.Snapshot().SinceMs); // stopped since the latch, not since the restart
        Assert.True(second.StateId > first.StateId);
        Assert.Contains("before restart", second.Reason);
        Assert.Equal(ClearOutcome.Cleared, second.ClearEstop("op").Outcome);
        Assert.Null(second.Persisted().LatchedAtMs);
    }

    [Fact]
    public void ALatchPersistedWithoutItsTimeRestoresWithTheRestartAsSince()
    {
        var second = new SafetyStateMachine(_time, new PersistedSafetyState(true, "old record", 41));
        Assert.Equal(SafetyMode.Estop, second.Mode);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), second.Snapshot().SinceMs);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), second.Persisted().LatchedAtMs);
    }
}
