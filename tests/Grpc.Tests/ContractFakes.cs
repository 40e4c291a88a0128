using Grpc.Core;
using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Safety.V1;

namespace Platform.Grpc.Tests;

/// <summary>Contract implementations with fixed behaviour, served by our server to the grpc-js client.</summary>
public sealed class FakeSafetyAuthority : SafetyAuthority.SafetyAuthorityBase
{
    public static SafetyState State(ulong id, string reason) => new()
    {
        StateId = id,
        Mode = SafetyMode.Hold,
        Reason = reason,
        SinceMs = 1_700_000_000_000,
        Sources = { new SafetySource { Source = "transport", Kind = "video_gate", Mode = SafetyMode.Hold, StaleMs = 1200, AtMs = 1_700_000_000_123, Active = true } },
    };

    public override Task<SafetyState> GetState(GetStateRequest request, ServerCallContext context) => Task.FromResult(State(42, "dotnet"));

    public override Task<SafetyState> Estop(EstopRequest request, ServerCallContext context)
    {
        var state = State(43, $"{request.Reason} by {context.RequestHeaders.GetValue("x-operator")} via {request.Source}");
        state.Mode = SafetyMode.Estop;
        return Task.FromResult(state);
    }

    public override Task<ClearEstopResponse> ClearEstop(ClearEstopRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.FailedPrecondition, "gates active: ✓ video_gate 100%"), new Metadata { { "failure-detail", "video_gate" } });

    public override async Task WatchState(WatchStateRequest request, IServerStreamWriter<SafetyState> responseStream, ServerCallContext context)
    {
        for (ulong id = 100; !context.CancellationToken.IsCancellationRequested; id++)
        {
            await responseStream.WriteAsync(State(id, "tick"));
            await Task.Delay(10, context.CancellationToken);
        }
    }
}

public sealed class FakeEncoder : Encoder.EncoderBase
{
    public override async Task<IngestSummary> Ingest(IAsyncStreamReader<RawFrame> requestStream, ServerCallContext context)
    {
        var summary = new IngestSummary();
        await foreach (var frame in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (frame.Data.Length != (int)(frame.Width * frame.Height * 3 / 2))
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"frame {frame.FrameId}: {frame.Data.Length} bytes for {frame.Width}x{frame.Height} I420"));
            summary.FramesReceived++;
            summary.FramesEncoded++;
            summary.BytesReceived += (ulong)frame.Data.Length;
            summary.LastFrameId = frame.FrameId;
        }
        return summary;
    }

    public override async Task<EncoderStats> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        if (request.Stream == "slow") await Task.Delay(5000, context.CancellationToken);
        return new EncoderStats { Stream = request.Stream, Codec = Codec.H264, EncoderName = "libx264", Fps = 60 };
    }
}
