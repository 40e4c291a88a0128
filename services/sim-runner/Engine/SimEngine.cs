using System.Collections.Concurrent;
using System.Diagnostics;
using Platform.Contracts.Subjects;
using Platform.SimRunner.Commands;
using Platform.SimRunner.Safety;
using Platform.SimRunner.Signals;
using Platform.SimRunner.Simulation;

namespace Platform.SimRunner.Engine;

/// <summary>
/// The sim: world, signals and layer-3 safety behind one <see cref="Tick"/> that the real-time loop (or a test) calls.
/// Inputs may be posted from any thread; they are applied in arrival order at the start of the next tick.
/// A tick: apply inputs → safety evaluates and acts → velocity commands that passed are applied → physics step (unless paused).
/// </summary>
public sealed class SimEngine
{
    private readonly ConcurrentQueue<object> _inbox = new();
    private readonly List<(SetCmdVelCommand Command, Robot Robot, TaskCompletionSource<CommandAck>? Completion)> _cmdVels = [];
    private readonly IReadOnlyList<string> _signalNames;

    public SimEngine(ScenarioDefinition scenario, SimEngineOptions options, Layer3Options safety, TimeProvider? time = null)
    {
        Options = options;
        World = new World(scenario, options.PhysicsHz, options.Seed);
        Safety = new Layer3Safety(safety, options.PhysicsHz, time);
        Signals = new SignalRegistry();
        SignalCatalog.Register(Signals, this);
        _signalNames = [.. Signals.Signals.Select(s => s.QualifiedName)];
    }

    public SimEngineOptions Options { get; }
    public World World { get; }
    public Layer3Safety Safety { get; }
    public SignalRegistry Signals { get; }
    public bool Paused { get; private set; }

    /// <summary>Loop ticks since start (the safety clock); physics steps are <see cref="World.StepCount"/>.</summary>
    public long Ticks => Safety.Tick;

    /// <summary>Posts a command for the next tick; its apply span is a child of <paramref name="parent"/> (the NATS message's trace).</summary>
    public void Post(SimCommand command, ActivityContext parent = default) => _inbox.Enqueue(new Submission(command, null, parent));

    /// <summary>Posts a command and completes with its ack once a tick has applied it (for request/response callers).</summary>
    public Task<CommandAck> SubmitAsync(SimCommand command)
    {
        var completion = new TaskCompletionSource<CommandAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        _inbox.Enqueue(new Submission(command, completion, Activity.Current?.Context ?? default));
        return completion.Task;
    }

    public void Post(SafetyStateMessage authorityState) => _inbox.Enqueue(authorityState);

    public void Tick(EngineOutput output)
    {
        Safety.BeginTick();
        while (_inbox.TryDequeue(out var input))
        {
            switch (input)
            {
                case SafetyStateMessage state:
                    Safety.OnAuthorityState(state);
                    break;
                case Submission submission:
                    using (var activity = SimTelemetry.Source.StartActivity($"apply {submission.Command.Action}", ActivityKind.Internal, submission.Parent))
                    {
                        activity?.SetTag("platform.command.cmd_seq", submission.Command.CmdSeq);
                        if (Apply(submission) is not { } ack) break;
                        activity?.SetTag("platform.command.status", ack.Status.ToString());
                        output.Acks.Add(ack);
                        submission.Completion?.TrySetResult(ack);
                    }
                    break;
            }
        }

        var mode = Safety.Evaluate(World, output.Events);

        foreach (var (cmd, robot, completion) in _cmdVels)
        {
            CommandAck ack;
            if (mode == SafetyMode.Armed)
            {
                robot.Command(cmd.LinearX, cmd.LinearY, cmd.AngularZ);
                ack = new CommandAck(cmd.Action, cmd.CmdSeq, AckStatus.Ok);
            }
            else
            {
                ack = new CommandAck(cmd.Action, cmd.CmdSeq, AckStatus.Ignored, $"{mode.ToWire()}: velocity held ({Safety.Reason})");
            }
            output.Acks.Add(ack);
            completion?.TrySetResult(ack);
        }
        _cmdVels.Clear();

        if (!Paused) World.Step();
    }

    /// <summary>Applies one command; set_cmd_vel is answered after the safety evaluation of the tick (null here).</summary>
    private CommandAck? Apply(Submission submission)
    {
        switch (submission.Command)
        {
            case SetCmdVelCommand c:
                var robot = c.Robot is null ? World.Robots[0] : World.FindRobot(c.Robot);
                if (robot is null) return Reject(c, $"unknown robot '{c.Robot}'");
                if (!Safety.OnCmdVel(c.Source, c.CmdSeq, c.TtlMs))
                    return new CommandAck(c.Action, c.CmdSeq, AckStatus.Ignored, $"cmd_seq {c.CmdSeq} is not newer than {Safety.LastCmdSeq(c.Source)} from '{c.Source}'");
                _cmdVels.Add((c, robot, submission.Completion));
                return null;
            case PauseCommand c:
                var wasPaused = Paused;
                Paused = true;
                return Ok(c, wasPaused ? "already paused" : null);
            case ResumeCommand c:
                var wasRunning = !Paused;
                Paused = false;
                return Ok(c, wasRunning ? "already running" : null);
            case ResetCommand c:
                World.Reset(c.Seed ?? World.Seed);
                return Ok(c, null);
            case StepCommand c:
                if (!Paused) return new CommandAck(c.Action, c.CmdSeq, AckStatus.Ignored, "step runs only while paused: send pause first");
                if (Safety.Latched || Safety.Mode == SafetyMode.Estop) return Reject(c, "ESTOP: motion commands are refused");
                for (var i = 0; i < c.Count; i++) World.Step();
                return Ok(c, null);
            case SetSignalCommand c:
                if (Safety.Latched || Safety.Mode == SafetyMode.Estop) return Reject(c, "ESTOP: motion commands are refused");
                return Signals.TrySet(c.Signal, c.Value, out var reason) ? Ok(c, null) : Reject(c, reason!);
            case EstopCommand c:
                Safety.OnEstop(c.Reason);
                return Ok(c, null);
            case EstopClearCommand c:
                var (status, why) = Safety.OnEstopClear(c.Operator);
                return new CommandAck(c.Action, c.CmdSeq, status, why);
            case var other:
                return Reject(other, $"unhandled action '{other.Action}'");
        }

        static CommandAck Ok(SimCommand c, string? reason) => new(c.Action, c.CmdSeq, AckStatus.Ok, reason);
        static CommandAck Reject(SimCommand c, string reason) => new(c.Action, c.CmdSeq, AckStatus.Rejected, reason);
    }

    /// <summary>The current state as a telemetry.sim.state record (every signal, schema order).</summary>
    public SimStateMessage Snapshot()
    {
        var values = new double[_signalNames.Count];
        Signals.ReadAll(values);
        return new SimStateMessage(World.StepCount, World.Time, Safety.Mode, Paused, _signalNames, values);
    }

    public SimSchemaMessage Schema() => new(Signals.Modules, Signals.Describe(), Options.PhysicsHz, Options.TelemetryHz);

    private sealed record Submission(SimCommand Command, TaskCompletionSource<CommandAck>? Completion, ActivityContext Parent);
}
