using System.Diagnostics;
using Grpc.Core;
using Platform.Contracts.Encoder.V1;

namespace Platform.GrpcBench;

/// <summary>Per-frame delay from the client's write to the handler's read, for calls on stream "paced" (same process, same clock).</summary>
internal sealed class IngestLatencies
{
    public const string PacedStream = "paced";

    public List<double> Us { get; } = new(1 << 14);

    public static long Stamp() => (long)Stopwatch.GetElapsedTime(0).TotalMicroseconds;
}

/// <summary>Ingest that only counts, as tests/interop/grpc-server.mjs does, so both servers do equal work.</summary>
internal sealed class BenchEncoder(IngestLatencies latencies) : Encoder.EncoderBase
{
    public override async Task<IngestSummary> Ingest(IAsyncStreamReader<RawFrame> requestStream, ServerCallContext context)
    {
        var summary = new IngestSummary();
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var frame = requestStream.Current;
            if (frame.Stream == IngestLatencies.PacedStream) latencies.Us.Add(IngestLatencies.Stamp() - frame.CaptureTsUs);
            summary.FramesReceived++;
            summary.BytesReceived += (ulong)frame.Data.Length;
            summary.LastFrameId = frame.FrameId;
        }
        return summary;
    }
}
