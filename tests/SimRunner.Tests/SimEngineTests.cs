using System.Text;
using Platform.Contracts.Subjects;
using Platform.SimRunner.Commands;
using Platform.SimRunner.Engine;

namespace Platform.SimRunner.Tests;

public sealed class SimEngineTests
{
    [Fact]
    public void PauseStopsPhysicsButNotTheSafetyClock()
    {
        var h = new EngineHarness();
        h.Arm();
        h.Post(new PauseCommand(1, "op"));
        h.Tick(10);
        Assert.True(h.Engine.Paused);
        Assert.Equal(1, h.Engine.World.StepCount);
        Assert.Equal(11, h.Engine.Ticks);
        h.Post(new PauseCommand(2, "op"));
        h.Post(new ResumeCommand(3, "op"));
        h.Tick();
        Assert.Equal("already paused", h.Acks.Single(a => a.CmdSeq == 2).Reason);
        Assert.False(h.Engine.Paused);
        Assert.Equal(2, h.Engine.World.StepCount);
    }

    [Fact]
    public void StepAdvancesThePhysicsOnlyWhilePaused()
    {
        var h = new EngineHarness();
        h.Arm();
        h.Post(new StepCommand(1, "op", 5));
        h.Tick();
        Assert.Equal(AckStatus.Ignored, h.LastAck("step").Status);
        h.Post(new PauseCommand(2, "op"));
        h.Tick();
        var before = h.Engine.World.StepCount;
        h.Post(new StepCommand(3, "op", 25));
        h.Tick();
        Assert.Equal(AckStatus.Ok, h.LastAck("step").Status);
        Assert.Equal(before + 25, h.Engine.World.StepCount);
        Assert.Equal((before + 25) / 240.0, h.Engine.Signals.Read("sim.time"), 12);
    }

    [Fact]
    public void SetWritesThePoseButNeverAVelocityAndIsRefusedInEstop()
    {
        var h = new EngineHarness();
        h.Arm();
        h.Post(new SetSignalCommand(1, "op", "robot0.x", 2.5));
        h.Post(new SetSignalCommand(2, "op", "robot0.vx", 1.0));
        h.Post(new SetSignalCommand(3, "op", "robot7.x", 1.0));
        h.Tick();
        Assert.Equal(2.5, h.Robot.X, 9);
        Assert.Equal(0, h.Robot.Vx);
        Assert.Equal([AckStatus.Ok, AckStatus.Rejected, AckStatus.Rejected], h.Acks.Where(a => a.Action == "set").Select(a => a.Status));
        h.Post(new EstopCommand(4, "op", "test"));
        h.Post(new SetSignalCommand(5, "op", "robot0.x", 0));
        h.Tick();
        Assert.Contains("ESTOP", h.LastAck("set").Reason);
        Assert.Equal(2.5, h.Robot.X, 9);
    }

    [Fact]
    public void ResetReturnsToTheSeededStartAndANewSeedChangesIt()
    {
        var h = new EngineHarness(TestScenarios.Open(jitter: 0.1));
        var start = (h.Robot.X, h.Robot.Y, h.Robot.Yaw);
        h.Arm();
        h.Drive(1.0, 240);
        Assert.NotEqual(start, (h.Robot.X, h.Robot.Y, h.Robot.Yaw));
        h.Post(new ResetCommand(1, "op", null));
        h.Tick();
        Assert.Equal(1, h.Engine.World.StepCount); // reset to 0, then this tick's step
        h.Post(new ResetCommand(2, "op", 1234));
        h.Post(new PauseCommand(3, "op"));
        h.Tick();
        Assert.Equal(1234, h.Engine.World.Seed);
        Assert.NotEqual(start, (h.Robot.X, h.Robot.Y, h.Robot.Yaw));
        h.Post(new ResetCommand(4, "op", 7));
        h.Tick();
        Assert.Equal(start, (h.Robot.X, h.Robot.Y, h.Robot.Yaw));
    }

    [Fact]
    public void SetCmdVelForAnUnknownRobotIsRejected()
    {
        var h = new EngineHarness();
        h.Arm();
        h.Post(new SetCmdVelCommand(99, "op", null, 1, 0, 0, "robot9"));
        h.Tick();
        Assert.Equal(AckStatus.Rejected, h.LastAck("set_cmd_vel").Status);
    }

    [Fact]
    public void SameSeedAndCommandsGiveTheSameTrajectoryThroughTheEngine()
    {
        static List<double[]> Run()
        {
            var h = new EngineHarness(TestScenarios.Default());
            var parser = new CommandParser();
            var trace = new List<double[]>();
            h.Authority();
            for (var i = 0; i < 240 * 5; i++)
            {
                if (i % 12 == 0)
                {
                    var json = $$$"""{"action":"set_cmd_vel","cmd_seq":{{{i + 1}}},"source":"op","data":{"linear_x":{{{Math.Round(Math.Sin(i / 50.0), 3)}}},"linear_y":0.3,"angular_z":{{{Math.Round(Math.Cos(i / 70.0), 3)}}}}}""";
                    h.Post(parser.Parse("set_cmd_vel", Encoding.UTF8.GetBytes(json)).Command!);
                }
                if (i % 120 == 0) h.Authority();
                if (i == 24) h.Post(new EstopClearCommand(1, "op", "op"));
                h.Tick();
                trace.Add((double[])h.Engine.Snapshot().Values);
            }
            return trace;
        }
        var a = Run();
        var b = Run();
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i]);
        Assert.NotEqual(a[0], a[^1]);
    }

    [Fact]
    public void SnapshotAndSchemaListEverySignalInTheSameOrder()
    {
        var h = new EngineHarness(TestScenarios.Open(robots: 2));
        var schema = h.Engine.Schema();
        Assert.Equal(["robot0", "robot1", "sim", "safety"], schema.Modules);
        Assert.Equal((240, 60), (schema.PhysicsHz, schema.TelemetryHz));
        h.Tick();
        var state = h.Engine.Snapshot();
        Assert.Equal(schema.Signals.Select(s => s.Name), state.Names);
        Assert.Equal(state.Names.Count, state.Values.Count);
        Assert.Equal((1L, SafetyMode.Hold), (state.Frame, state.Mode));
        Assert.Equal(1.0, state.Values[state.Names.ToList().IndexOf("robot1.x")]);
        Assert.Equal(1.0, state.Values[state.Names.ToList().IndexOf("safety.mode")]);
    }

    [Theory]
    [InlineData(240, 60, 60)]
    [InlineData(240, 50, 50)]
    [InlineData(240, 240, 240)]
    [InlineData(240, 1000, 240)]
    [InlineData(100, 60, 60)]
    public void TheDecimatorPublishesTheTelemetryRateEvenly(int tickHz, int telemetryHz, int expected)
    {
        var d = new TelemetryDecimator(tickHz, telemetryHz);
        var ticks = Enumerable.Range(1, tickHz).Where(t => d.ShouldPublish(t)).ToList();
        Assert.Equal(expected, ticks.Count);
        var gaps = ticks.Zip(ticks.Skip(1), (x, y) => y - x).ToList();
        if (gaps.Count > 0) Assert.True(gaps.Max() - gaps.Min() <= 1);
    }
}
