using Platform.Contracts.Subjects;
using Platform.SimRunner.Commands;
using Platform.SimRunner.Engine;
using Platform.SimRunner.Safety;
using Platform.SimRunner.Simulation;

namespace Platform.SimRunner.Tests;

/// <summary>Drives a <see cref="SimEngine"/> tick by tick, as the real-time loop would, and keeps everything it emitted.</summary>
internal sealed class EngineHarness
{
    private readonly EngineOutput _output = new();
    private long _seq;
    private long _stateId;

    public EngineHarness(ScenarioDefinition? scenario = null, Layer3Options? safety = null, int hz = 240)
    {
        Engine = new SimEngine(scenario ?? TestScenarios.Open(), new SimEngineOptions { PhysicsHz = hz }, safety ?? new Layer3Options());
    }

    public SimEngine Engine { get; }
    public Robot Robot => Engine.World.Robots[0];
    public List<CommandAck> Acks { get; } = [];
    public List<(long Tick, SafetyEventMessage Event, double SpeedWhenEmitted)> Events { get; } = [];

    public void Tick(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _output.Clear();
            Engine.Tick(_output);
            Acks.AddRange(_output.Acks);
            foreach (var e in _output.Events) Events.Add((Engine.Ticks, e, Robot.MaxSpeedComponent));
        }
    }

    public long CmdVel(double vx, double vy = 0, double wz = 0, string source = "op", long? seq = null, int? ttlMs = null)
    {
        var s = seq ?? ++_seq;
        Engine.Post(new SetCmdVelCommand(s, source, ttlMs, vx, vy, wz, null));
        return s;
    }

    public void Post(SimCommand command) => Engine.Post(command);

    public void Authority(SafetyMode mode = SafetyMode.Armed, long? stateId = null, IReadOnlyList<SafetySourceStatus>? sources = null)
        => Engine.Post(new SafetyStateMessage(stateId ?? ++_stateId, mode, "test", 0, sources ?? []));

    /// <summary>Brings the sim to ARMED: authority heard, set_cmd_vel flowing.</summary>
    public void Arm()
    {
        Authority();
        CmdVel(0);
        Tick();
        Assert.Equal(SafetyMode.Armed, Engine.Safety.Mode);
    }

    /// <summary>Holds a velocity command for <paramref name="ticks"/> ticks, refreshing it (and the authority) at 20 Hz like the viewer.</summary>
    public void Drive(double vx, int ticks, double vy = 0, double wz = 0)
    {
        for (var i = 0; i < ticks; i++)
        {
            if (i % 12 == 0)
            {
                CmdVel(vx, vy, wz);
                if (i % 120 == 0) Authority();
            }
            Tick();
        }
    }

    public CommandAck LastAck(string action) => Acks.Last(a => a.Action == action);
}
