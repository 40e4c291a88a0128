using Platform.Contracts.Subjects;
using Platform.TestSupport;
using Platform.Transport.Safety;

namespace Platform.Transport.Tests;

/// <summary>Seed 000 task 3: one zero then latch, HOLD after 1000 ms, ESTOP at 5000 ms exactly once, recovery, always-pass actions.</summary>
public sealed class VideoGateTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly VideoGate _gate;

    public VideoGateTests() => _gate = new VideoGate(new VideoGateOptions(), _time);

    private void Wait(int ms) => _time.Advance(TimeSpan.FromMilliseconds(ms));

    [Fact]
    public void Motion_passes_while_frames_are_fresh()
    {
        for (var i = 0; i < 20; i++)
        {
            _gate.OnFrame();
            Wait(33);
            var decision = _gate.OnCommand(CommandActions.SetCmdVel);
            Assert.True(decision.Pass);
            Assert.Null(decision.Transition);
        }
        Assert.Equal(SafetyMode.Armed, _gate.Mode);
    }

    [Fact]
    public void Stale_video_gates_motion_with_exactly_one_zero_then_latches()
    {
        _gate.OnFrame();
        Wait(1000);
        Assert.True(_gate.OnCommand(CommandActions.SetCmdVel).Pass); // 1000 ms is not yet older than HoldAfterMs

        Wait(1);
        var first = _gate.OnCommand(CommandActions.SetCmdVel);
        Assert.False(first.Pass);
        Assert.Equal(new VideoGateTransition(SafetyMode.Hold, 1001, SendLatchZero: true, SendEstop: false), first.Transition);

        var zeros = 0;
        for (var i = 0; i < 50; i++)
        {
            Wait(50);
            foreach (var action in new[] { CommandActions.SetCmdVel, CommandActions.Set, CommandActions.Step })
            {
                var d = _gate.OnCommand(action);
                Assert.False(d.Pass);
                if (d.Transition?.SendLatchZero == true) zeros++;
                if (d.Transition is not null) Assert.Equal(SafetyMode.Estop, d.Transition.Mode); // only the escalation
            }
        }
        Assert.Equal(0, zeros);
    }

    [Fact]
    public void Hold_escalates_to_estop_at_5000_ms_exactly_once_on_the_timer_without_commands()
    {
        _gate.OnFrame();
        Wait(1500);
        Assert.Equal(SafetyMode.Hold, _gate.OnCommand(CommandActions.SetCmdVel).Transition?.Mode);

        Wait(3500); // 5000 ms: not yet older
        Assert.Null(_gate.Evaluate());
        Wait(1);
        var escalation = _gate.Evaluate();
        Assert.Equal(new VideoGateTransition(SafetyMode.Estop, 5001, SendLatchZero: false, SendEstop: true), escalation);
        Assert.Equal(SafetyMode.Estop, _gate.Mode);

        for (var i = 0; i < 20; i++)
        {
            Wait(100);
            Assert.Null(_gate.Evaluate());
            var d = _gate.OnCommand(CommandActions.SetCmdVel);
            Assert.False(d.Pass);
            Assert.Null(d.Transition);
        }
    }

    [Fact]
    public void First_motion_command_after_5000_ms_sends_the_zero_and_the_estop_together()
    {
        Wait(6000); // no frame since start
        var d = _gate.OnCommand(CommandActions.Step);
        Assert.False(d.Pass);
        Assert.Equal(new VideoGateTransition(SafetyMode.Estop, 6000, SendLatchZero: true, SendEstop: true), d.Transition);
        Assert.Null(_gate.OnCommand(CommandActions.Step).Transition);
    }

    [Fact]
    public void Without_a_motion_command_stale_video_raises_nothing()
    {
        Wait(10_000);
        Assert.Null(_gate.Evaluate());
        Assert.True(_gate.OnCommand(CommandActions.Pause).Pass);
        Assert.Equal(SafetyMode.Armed, _gate.Mode);
    }

    [Fact]
    public void Frames_resuming_lift_the_gate_once_and_a_new_outage_latches_a_new_zero()
    {
        Wait(2000);
        Assert.True(_gate.OnCommand(CommandActions.SetCmdVel).Transition!.SendLatchZero);

        var lifted = _gate.OnFrame();
        Assert.Equal(new VideoGateTransition(SafetyMode.Armed, 0, false, false), lifted);
        Assert.False(lifted!.Gated);
        Assert.Null(_gate.OnFrame());
        Assert.True(_gate.OnCommand(CommandActions.SetCmdVel).Pass);

        Wait(1200);
        var again = _gate.OnCommand(CommandActions.SetCmdVel);
        Assert.True(again.Transition!.SendLatchZero);
        Wait(5000);
        Assert.True(_gate.Evaluate()!.SendEstop);
        Assert.Equal(SafetyMode.Armed, _gate.OnFrame()!.Mode);
    }

    [Theory]
    [InlineData(CommandActions.Estop)]
    [InlineData(CommandActions.EstopClear)]
    [InlineData(CommandActions.Pause)]
    [InlineData(CommandActions.Reset)]
    [InlineData(CommandActions.Resume)]
    public void Non_motion_actions_always_pass_even_at_estop(string action)
    {
        Wait(7000);
        Assert.Equal(SafetyMode.Estop, _gate.OnCommand(CommandActions.SetCmdVel).Mode);
        var d = _gate.OnCommand(action);
        Assert.True(d.Pass);
        Assert.Null(d.Transition);
    }

    [Fact]
    public void Options_must_escalate_after_holding()
        => Assert.Throws<ArgumentException>(() => new VideoGate(new VideoGateOptions { HoldAfterMs = 1000, EstopAfterMs = 1000 }, _time));
}
