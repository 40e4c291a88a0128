using Grpc.Core;
using Platform.Contracts.Sim.V1;
using Platform.SimRunner.Commands;
using Platform.SimRunner.Engine;
using Ack = Platform.Contracts.Subjects.CommandAck;
using AckStatus = Platform.Contracts.Subjects.AckStatus;

namespace Platform.SimRunner.Hosting;

/// <summary>
/// <c>platform.sim.v1.SimControl</c>: the same commands as NATS <c>command.sim.&lt;action&gt;</c>, applied by the loop
/// at its next tick and answered with the ack it produced (the ack is also published on telemetry.command.ack).
/// </summary>
public sealed class SimControlGrpcService(SimEngine engine, SimOutbox outbox) : SimControl.SimControlBase
{
    private const string DefaultSource = "grpc";
    private static long s_seq;

    public override Task<SimSchema> GetSchema(GetSchemaRequest request, ServerCallContext context)
    {
        var schema = engine.Schema();
        var reply = new SimSchema { TickRateHz = schema.PhysicsHz };
        reply.Modules.AddRange(schema.Modules);
        reply.Signals.AddRange(schema.Signals.Select(s => new Signal { Name = s.Name, Unit = s.Unit, Module = s.Module, Writable = s.Writable }));
        return Task.FromResult(reply);
    }

    public override Task<CommandAck> Pause(PauseRequest request, ServerCallContext context)
        => Run(request.Origin, (seq, source) => new PauseCommand(seq, source), context);

    public override Task<CommandAck> Resume(ResumeRequest request, ServerCallContext context)
        => Run(request.Origin, (seq, source) => new ResumeCommand(seq, source), context);

    public override Task<CommandAck> Reset(ResetRequest request, ServerCallContext context)
        => Run(request.Origin, (seq, source) => new ResetCommand(seq, source, null), context);

    public override Task<CommandAck> Step(StepRequest request, ServerCallContext context)
    {
        if (request.Count is 0 || request.Count > (uint)engine.Options.MaxStepCount)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"count must be between 1 and {engine.Options.MaxStepCount}"));
        return Run(request.Origin, (seq, source) => new StepCommand(seq, source, (int)request.Count), context);
    }

    public override Task<CommandAck> Set(SetRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Signal) || !double.IsFinite(request.Value))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "set needs a signal name and a finite value"));
        return Run(request.Origin, (seq, source) => new SetSignalCommand(seq, source, request.Signal, request.Value), context);
    }

    public override async Task WatchState(WatchStateRequest request, IServerStreamWriter<SimState> responseStream, ServerCallContext context)
    {
        var patterns = request.Patterns.Count == 0 ? ["*"] : request.Patterns.ToArray();
        var names = engine.Signals.Expand(patterns).ToHashSet(StringComparer.Ordinal);
        var interval = TimeSpan.FromMilliseconds(request.IntervalMs);
        var ct = context.CancellationToken;
        var lastSent = DateTimeOffset.MinValue;
        try
        {
            if (outbox.Latest is { } first) await responseStream.WriteAsync(ToProto(first, names));
            lastSent = DateTimeOffset.UtcNow;
            while (!ct.IsCancellationRequested)
            {
                // Every published state (the telemetry rate) when no interval is asked, else at most one per interval.
                await outbox.NextStateAsync(ct);
                if (interval > TimeSpan.Zero && DateTimeOffset.UtcNow - lastSent < interval) continue;
                if (outbox.Latest is not { } state) continue;
                await responseStream.WriteAsync(ToProto(state, names));
                lastSent = DateTimeOffset.UtcNow;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<CommandAck> Run(CommandOrigin? origin, Func<long, string, SimCommand> make, ServerCallContext context)
    {
        var source = string.IsNullOrWhiteSpace(origin?.Source) ? DefaultSource : origin.Source;
        var seq = origin is { CmdSeq: > 0 } ? (long)origin.CmdSeq : Interlocked.Increment(ref s_seq);
        var ack = await engine.SubmitAsync(make(seq, source)).WaitAsync(context.CancellationToken);
        return new CommandAck
        {
            Status = ack.Status switch { AckStatus.Ok => CommandAck.Types.Status.Ok, AckStatus.Rejected => CommandAck.Types.Status.Rejected, _ => CommandAck.Types.Status.Ignored },
            Reason = ack.Reason ?? "",
            CmdSeq = (ulong)ack.CmdSeq,
            Frame = (ulong)engine.World.StepCount,
            SimTimeS = engine.World.Time,
        };
    }

    private static SimState ToProto(Contracts.Subjects.SimStateMessage state, HashSet<string> names)
    {
        var reply = new SimState { Frame = (ulong)state.Frame, SimTimeS = state.Time, Paused = state.Paused, WallTimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        for (var i = 0; i < state.Names.Count; i++)
        {
            if (names.Contains(state.Names[i])) reply.Signals[state.Names[i]] = state.Values[i];
        }
        return reply;
    }
}
