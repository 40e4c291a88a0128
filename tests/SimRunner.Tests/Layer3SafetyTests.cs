using Platform.Contracts.Subjects;
using Platform.SimRunner.Commands;
using Platform.SimRunner.Safety;

namespace Platform.SimRunner.Tests;

/// <summary>Layer 3 (ARCHITECTURE.md section 8) on the sim's tick clock: 240 Hz, so 200 ms = 48 ticks, 1500 ms = 360, 2 s = 480.</summary>
public sealed class Layer3SafetyTests
{
    [Fact]
    public void StartsDisarmedAndReachesEstopAfterTwoSecondsWithoutAnOperator()
    {
        var h = new EngineHarness();
        h.Authority();
        h.Tick();
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);
        Assert.Contains("disarmed", h.Engine.Safety.Reason);
        for (var i = 2; i < 480; i++)
        {
            if (i % 100 == 0) h.Authority();
            h.Tick();
        }
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);
        h.Tick();
        Assert.Equal(480, h.Engine.Ticks);
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.Mode);
        Assert.True(h.Engine.Safety.Latched);
        var estop = Assert.Single(h.Events, e => e.Event.Mode == SafetyMode.Estop);
        Assert.Equal((480L, SafetyEventKind.CmdTtl, 2000L), (estop.Tick, estop.Event.Kind, estop.Event.StaleMs));
    }

    [Fact]
    public void AnAuthorityThatDoesNotKnowTheSimsGateHearsItAgainOnceASecondAtMost()
    {
        var h = new EngineHarness();
        h.Tick(); // disarmed: the HOLD event goes out at the first tick
        var first = Assert.Single(h.Events);
        Assert.Equal((1L, SafetyEventKind.CmdTtl, SafetyMode.Hold), (first.Tick, first.Event.Kind, first.Event.Mode));

        // A restarted authority: no gates. Its states come at 2 Hz; the gate is said again 1 s after the last time.
        for (var i = 0; i < 300; i++)
        {
            if (i % 120 == 0) h.Authority(SafetyMode.Estop);
            h.Tick();
        }
        var again = h.Events.Skip(1).Where(e => e.Event.Kind == SafetyEventKind.CmdTtl).ToList();
        Assert.Equal([241L], again.Select(e => e.Tick));
        Assert.Equal(SafetyMode.Hold, again[0].Event.Mode);
        Assert.Contains("disagreed", again[0].Event.Reason);

        // Once the authority shows the gate as the sim has it, nothing more is said.
        var hold = new SafetySourceStatus(Layer3Safety.SourceName, SafetyEventKind.CmdTtl, SafetyMode.Hold, 0, 0, Active: true);
        for (var i = 0; i < 160; i++) // stays before the sim's own ESTOP at tick 480
        {
            if (i % 120 == 0) h.Authority(SafetyMode.Estop, sources: [hold]);
            h.Tick();
        }
        Assert.Single(h.Events.Skip(1), e => e.Event.Kind == SafetyEventKind.CmdTtl);
    }

    [Fact]
    public void AnAuthorityStillHoldingALiftedGateHearsArmedAgain()
    {
        var h = new EngineHarness();
        h.Arm();
        var stale = new SafetySourceStatus(Layer3Safety.SourceName, SafetyEventKind.CmdTtl, SafetyMode.Hold, 200, 0, Active: true);
        for (var i = 0; i < 480; i++)
        {
            if (i % 12 == 0) h.CmdVel(0);
            if (i % 120 == 0) h.Authority(sources: [stale]);
            h.Tick();
        }
        Assert.Equal(SafetyMode.Armed, h.Engine.Safety.Mode);
        // An authority that never learns hears it once a second, no more.
        var armedAgain = h.Events.Where(e => e.Event.Kind == SafetyEventKind.CmdTtl && e.Event.Reason is not null).ToList();
        Assert.Equal(2, armedAgain.Count);
        Assert.All(armedAgain, e => Assert.Equal(SafetyMode.Armed, e.Event.Mode));
        Assert.True(armedAgain[1].Tick - armedAgain[0].Tick >= 240);
    }

    [Fact]
    public void FlowingCommandsArmTheSimAndMoveTheRobot()
    {
        var h = new EngineHarness();
        h.Arm();
        h.Drive(1.0, 480);
        Assert.Equal(SafetyMode.Armed, h.Engine.Safety.Mode);
        Assert.Equal(1.0, h.Robot.Vx, 9);
        Assert.True(h.Robot.X > 1.0);
        Assert.All(h.Acks.Where(a => a.Action == "set_cmd_vel"), a => Assert.Equal(AckStatus.Ok, a.Status));
    }

    [Fact]
    public void CommandSilenceHoldsAt200MsHalvingVelocityEachTickThenEstopsAt2S()
    {
        var h = new EngineHarness();
        h.Arm();
        h.Drive(1.0, 600);
        var lastCmdTick = h.Engine.Ticks - (600 - 1) % 12; // the tick that applied Drive's last command
        var v = h.Robot.Vx;
        Assert.Equal(1.0, v, 9);

        while (h.Engine.Ticks < lastCmdTick + 47)
        {
            h.Tick();
            Assert.Equal(SafetyMode.Armed, h.Engine.Safety.Mode);
        }
        var speeds = new List<double>();
        h.Tick(); // 48 ticks = 200 ms after the last command
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);
        var hold = h.Events.Last(e => e.Event.Kind == SafetyEventKind.CmdTtl);
        Assert.Equal((lastCmdTick + 48, SafetyMode.Hold, 200L), (hold.Tick, hold.Event.Mode, hold.Event.StaleMs));
        Assert.Equal(0.5, hold.SpeedWhenEmitted, 9); // acted (halved) before it reported
        speeds.Add(h.Robot.Vx);
        for (var i = 0; i < 10; i++)
        {
            h.Tick();
            speeds.Add(h.Robot.Vx);
        }
        // 1/2, 1/4, ... 1/64 = 0.0156, then 1/128 = 0.0078 < 0.01 → 0.
        Assert.Equal([0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0, 0, 0, 0, 0], speeds.Select(s => Math.Round(s, 9)));

        while (h.Engine.Ticks < lastCmdTick + 479) h.Tick();
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);
        h.Tick();
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.Mode);
        var estop = h.Events.Last();
        Assert.Equal((lastCmdTick + 480, SafetyEventKind.CmdTtl, SafetyMode.Estop), (estop.Tick, estop.Event.Kind, estop.Event.Mode));
    }

    [Fact]
    public void EstopFromTtlStopsAMovingRobotAtOnce()
    {
        var h = new EngineHarness(safety: new Layer3Options { CmdTtlHoldMs = 200, CmdTtlEstopMs = 250, DecayFactor = 0.99 });
        h.Arm();
        h.Drive(1.0, 480);
        var last = h.Engine.Ticks - (480 - 1) % 12;
        while (h.Engine.Ticks < last + 59) h.Tick();
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);
        Assert.True(h.Robot.Vx > 0.5, "slow decay keeps the robot moving in HOLD");
        h.Tick(); // 250 ms = 60 ticks
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.Mode);
        Assert.Equal(0, h.Robot.MaxSpeedComponent);
    }

    [Fact]
    public void OutOfOrderCmdSeqIsIgnoredPerSource()
    {
        var h = new EngineHarness();
        h.Arm();
        h.CmdVel(1.0, seq: 10, source: "a");
        h.Tick();
        h.CmdVel(-1.0, seq: 9, source: "a");
        h.CmdVel(-1.0, seq: 10, source: "a");
        h.Tick();
        Assert.Equal(1.0, h.Robot.CmdVx);
        var ignored = h.Acks.Where(a => a.Status == AckStatus.Ignored).ToList();
        Assert.Equal([9L, 10L], ignored.Select(a => a.CmdSeq));
        Assert.Contains("not newer than 10 from 'a'", ignored[0].Reason);

        h.CmdVel(0.5, seq: 1, source: "b"); // another client has its own sequence
        h.Tick();
        Assert.Equal(0.5, h.Robot.CmdVx);
        Assert.Equal(AckStatus.Ok, h.LastAck("set_cmd_vel").Status);
    }

    [Fact]
    public void IgnoredOutOfOrderCommandsDoNotKeepTheSimArmed()
    {
        var h = new EngineHarness();
        h.Arm();
        h.CmdVel(1.0, seq: 100);
        h.Tick();
        for (var i = 0; i < 60; i++)
        {
            h.CmdVel(1.0, seq: 50); // stale replays are no heartbeat
            h.Tick();
        }
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);
    }

    [Fact]
    public void AShorterTtlOnTheCommandHoldsSoonerButNeverLater()
    {
        var h = new EngineHarness();
        h.Arm();
        h.CmdVel(1.0, ttlMs: 100);
        h.Tick(24);
        Assert.Equal(SafetyMode.Armed, h.Engine.Safety.Mode);
        h.Tick();
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);

        h.CmdVel(1.0, ttlMs: 5000);
        h.Tick(48);
        Assert.Equal(SafetyMode.Armed, h.Engine.Safety.Mode);
        h.Tick();
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);
    }

    [Fact]
    public void AuthoritySilenceHoldsAt1500MsAndItsReturnReArms()
    {
        var h = new EngineHarness();
        h.Arm();
        var lastState = h.Engine.Ticks;
        for (var i = 1; i < 360; i++)
        {
            if (i % 12 == 0) h.CmdVel(0.3);
            h.Tick();
            Assert.Equal(SafetyMode.Armed, h.Engine.Safety.Mode);
        }
        h.CmdVel(0.3);
        h.Tick();
        Assert.Equal(lastState + 360, h.Engine.Ticks);
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);
        Assert.Contains("authority_lost", h.Engine.Safety.Reason);
        var lost = h.Events.Last();
        Assert.Equal((SafetyEventKind.AuthorityLost, SafetyMode.Hold, 1500L), (lost.Event.Kind, lost.Event.Mode, lost.Event.StaleMs));
        Assert.Equal(AckStatus.Ignored, h.LastAck("set_cmd_vel").Status);

        // A restarted authority may start again from a lower state_id: after a silence it is accepted.
        h.Authority(stateId: 1);
        h.CmdVel(0.3);
        h.Tick();
        Assert.Equal(SafetyMode.Armed, h.Engine.Safety.Mode);
        Assert.Equal((SafetyEventKind.AuthorityLost, SafetyMode.Armed), (h.Events.Last().Event.Kind, h.Events.Last().Event.Mode));
    }

    [Fact]
    public void OlderAuthorityStatesAreIgnoredAndItsModeIsFollowed()
    {
        var h = new EngineHarness();
        h.Arm();
        h.Drive(1.0, 240);
        h.Authority(SafetyMode.Estop, stateId: 100);
        h.Authority(SafetyMode.Armed, stateId: 99);
        h.CmdVel(1.0);
        h.Tick();
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.Mode);
        Assert.Equal(0, h.Robot.MaxSpeedComponent);
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.AuthorityMode);

        h.Authority(SafetyMode.Hold, stateId: 101);
        h.CmdVel(1.0);
        h.Tick();
        Assert.Equal(SafetyMode.Hold, h.Engine.Safety.Mode);
        h.Authority(SafetyMode.Armed, stateId: 102);
        h.CmdVel(1.0);
        h.Tick();
        Assert.Equal(SafetyMode.Armed, h.Engine.Safety.Mode);
    }

    [Fact]
    public void OperatorEstopZeroesVelocityInTheSameTickThenReports()
    {
        var h = new EngineHarness();
        h.Arm();
        h.Drive(1.0, 480);
        h.Post(new EstopCommand(1, "op", "test"));
        h.Tick();
        Assert.Equal(0, h.Robot.MaxSpeedComponent);
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.Mode);
        var e = h.Events.Last();
        Assert.Equal((SafetyEventKind.Operator, SafetyMode.Estop, 0.0), (e.Event.Kind, e.Event.Mode, e.SpeedWhenEmitted));
        Assert.Equal(AckStatus.Ok, h.LastAck("estop").Status);

        h.Drive(1.0, 240); // commands keep flowing: still latched, robot still
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.Mode);
        Assert.Equal(0, h.Robot.MaxSpeedComponent);
        Assert.Contains("ESTOP", h.LastAck("set_cmd_vel").Reason);
    }

    [Fact]
    public void EstopClearNeedsTheSetCmdVelHeartbeat()
    {
        var h = new EngineHarness();
        h.Authority();
        h.Tick(480);
        h.Authority();
        h.Tick();
        Assert.True(h.Engine.Safety.Latched);

        h.Post(new EstopClearCommand(1, "op", "alice"));
        h.Tick();
        var refused = h.LastAck("estop_clear");
        Assert.Equal(AckStatus.Rejected, refused.Status);
        Assert.Contains("heartbeat", refused.Reason);
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.Mode);

        h.Drive(0, 24);
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.Mode); // flowing commands alone do not re-arm
        h.CmdVel(0);
        h.Post(new EstopClearCommand(2, "op", "alice"));
        h.Tick();
        Assert.Equal(AckStatus.Ok, h.LastAck("estop_clear").Status);
        Assert.Equal(SafetyMode.Armed, h.Engine.Safety.Mode);
        Assert.Equal((SafetyEventKind.Operator, SafetyMode.Armed), (h.Events.Last().Event.Kind, h.Events.Last().Event.Mode));

        h.Post(new EstopClearCommand(3, "op", "alice"));
        h.Tick();
        Assert.Equal(AckStatus.Ignored, h.LastAck("estop_clear").Status);
    }

    [Fact]
    public void TheTtlGateReportsArmedWhenCommandsResumeWhileLatched()
    {
        var h = new EngineHarness();
        h.Authority();
        h.Tick(481);
        h.Authority();
        h.CmdVel(0);
        h.Tick();
        var last = h.Events.Last(e => e.Event.Kind == SafetyEventKind.CmdTtl);
        Assert.Equal((482L, SafetyMode.Armed), (last.Tick, last.Event.Mode));
        Assert.Equal(SafetyMode.Estop, h.Engine.Safety.Mode);
    }

    [Theory]
    [InlineData(0, 200, 2000)]
    [InlineData(-1, 200, 2000)]
    [InlineData(300, 200, 200)]
    public void RejectsInconsistentDeadlines(int authorityMs, int holdMs, int estopMs)
        => Assert.Throws<ArgumentException>(() => new Layer3Safety(new Layer3Options { AuthorityTimeoutMs = authorityMs, CmdTtlHoldMs = holdMs, CmdTtlEstopMs = estopMs }, 240));

    [Fact]
    public void DeadlinesRoundUpToWholeTicks()
    {
        var safety = new Layer3Safety(new Layer3Options(), 60);
        Assert.Equal(12, safety.ToTicks(200));
        Assert.Equal(1, safety.ToTicks(1));
        Assert.Equal(90, safety.ToTicks(1500));
    }
}
