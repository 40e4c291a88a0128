using Grpc.Core;
using Platform.Contracts.Safety.V1;

namespace Platform.GrpcBench;

/// <summary>The same fixed GetState answer tests/interop/grpc-server.mjs gives, so both servers do equal work.</summary>
internal sealed class BenchSafetyAuthority : SafetyAuthority.SafetyAuthorityBase
{
    private static readonly SafetyState State = new()
    {
        StateId = 42,
        Mode = SafetyMode.Hold,
        Reason = "node:",
        SinceMs = 1_700_000_000_000,
        Sources = { new SafetySource { Source = "transport", Kind = "video_gate", Mode = SafetyMode.Hold, StaleMs = 1200, AtMs = 1_700_000_000_123, Active = true } },
    };

    public override Task<SafetyState> GetState(GetStateRequest request, ServerCallContext context) => Task.FromResult(State);
}
