using Grpc.Core;
using Microsoft.Extensions.Options;
using Platform.Contracts.Safety.V1;
using Platform.SafetyAuthority.State;
using GrpcContract = Platform.Contracts.Safety.V1.SafetyAuthority;
using Subjects = Platform.Contracts.Subjects;

namespace Platform.SafetyAuthority.Hosting;

/// <summary><c>platform.safety.v1.SafetyAuthority</c> over the same state as NATS safety.state.</summary>
public sealed class SafetyAuthorityGrpcService(SafetyAuthorityState state, IOptions<SafetyAuthorityOptions> options) : GrpcContract.SafetyAuthorityBase
{
    public override async Task<SafetyState> GetState(GetStateRequest request, ServerCallContext context)
    {
        await state.Ready.WaitAsync(context.CancellationToken);
        return ToProto(state.Current);
    }

    public override async Task WatchState(WatchStateRequest request, IServerStreamWriter<SafetyState> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var heartbeat = TimeSpan.FromMilliseconds(options.Value.PublishIntervalMs);
        try
        {
            await state.Ready.WaitAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                var changed = state.NextChangeAsync(ct);
                await responseStream.WriteAsync(ToProto(state.Current));
                await Task.WhenAny(changed, Task.Delay(heartbeat, ct));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public override async Task<SafetyState> Estop(EstopRequest request, ServerCallContext context)
    {
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "operator" : request.Reason;
        await state.EstopAsync(string.IsNullOrWhiteSpace(request.Source) ? reason : $"{reason} ({request.Source})", context.CancellationToken);
        return ToProto(state.Current);
    }

    public override async Task<ClearEstopResponse> ClearEstop(ClearEstopRequest request, ServerCallContext context)
    {
        var result = await state.ClearEstopAsync(string.IsNullOrWhiteSpace(request.Operator) ? "operator" : request.Operator, context.CancellationToken);
        return new ClearEstopResponse { Cleared = result.Outcome == ClearOutcome.Cleared, Reason = result.Reason ?? "", State = ToProto(state.Current) };
    }

    public static SafetyState ToProto(Subjects.SafetyStateMessage s)
    {
        var reply = new SafetyState { StateId = (ulong)s.StateId, Mode = ToProto(s.Mode), Reason = s.Reason, SinceMs = s.SinceMs };
        reply.Sources.AddRange(s.Sources.Select(x => new SafetySource
        {
            Source = x.Source,
            Kind = Subjects.SafetyEventKinds.ToWire(x.Kind),
            Mode = ToProto(x.Mode),
            StaleMs = x.StaleMs,
            AtMs = x.AtMs,
            Active = x.Active,
        }));
        return reply;
    }

    private static SafetyMode ToProto(Subjects.SafetyMode mode) => mode switch
    {
        Subjects.SafetyMode.Armed => SafetyMode.Armed,
        Subjects.SafetyMode.Hold => SafetyMode.Hold,
        _ => SafetyMode.Estop,
    };
}
