using Grpc.Core;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Encoder.V1;
using Platform.Encoder.Pipeline;
using GrpcContract = Platform.Contracts.Encoder.V1.Encoder;

namespace Platform.Encoder.Hosting;

/// <summary><c>platform.encoder.v1.Encoder</c>: frames in (Ingest), keyframe and bitrate control, statistics.</summary>
public sealed partial class EncoderGrpcService(
    EncoderStreams streams,
    MediaLibraryStatus media,
    ILogger<EncoderGrpcService> logger) : GrpcContract.EncoderBase
{
    public override async Task<IngestSummary> Ingest(IAsyncStreamReader<RawFrame> requestStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false)) return new IngestSummary();
        var first = requestStream.Current;
        if (media.Error is { } error) throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the encoder cannot encode: {error}"));
        if (EncoderStreams.NameProblem(first.Stream) is { } problem) throw new RpcException(new Status(StatusCode.InvalidArgument, problem));
        var pipeline = streams.TryBeginIngest(first.Stream)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"stream '{first.Stream}' is already being ingested by another call; end that call first (one source per stream)"));
        LogIngestStarted(first.Stream, first.FrameId, context.Peer);
        try
        {
            var frame = first;
            while (pipeline.Offer(frame) && await requestStream.MoveNext(cancellationToken).ConfigureAwait(false)) frame = requestStream.Current;
        }
        catch (Exception ex)
        {
            // The caller went away (cancelled, deadline, broken HTTP/2): finish what was queued and free the stream.
            var lastFrameId = pipeline.Stats.LastFrameId;
            LogIngestAborted(ex, first.Stream, lastFrameId);
            throw;
        }
        finally
        {
            await streams.EndIngestAsync(pipeline).ConfigureAwait(false);
        }
        if (pipeline.Fault is { } fault)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"stream '{first.Stream}' cannot be encoded: {fault.Message}"));
        var summary = pipeline.Summary();
        LogIngestEnded(first.Stream, summary.FramesReceived, summary.FramesEncoded, summary.FramesDropped, summary.UpstreamDropped, summary.LastFrameId);
        return summary;
    }

    public override async Task<RequestKeyframeResponse> RequestKeyframe(RequestKeyframeRequest request, ServerCallContext context)
    {
        var stream = Require(request.Stream);
        var outcome = await stream.RequestKeyframeAsync(context.CancellationToken).ConfigureAwait(false);
        LogKeyframeRequest(stream.Name, string.IsNullOrEmpty(request.Reason) ? "grpc" : request.Reason, outcome.Decision, outcome.FrameId);
        return new RequestKeyframeResponse { Accepted = outcome.Accepted, FrameId = outcome.FrameId };
    }

    public override Task<SetBitrateResponse> SetBitrate(SetBitrateRequest request, ServerCallContext context)
    {
        var stream = Require(request.Stream);
        var outcome = stream.SetBitrate(request.BitrateBps);
        LogBitrateRequest(stream.Name, request.BitrateBps, outcome.AppliedBps, outcome.Clamped);
        return Task.FromResult(new SetBitrateResponse
        {
            AppliedBitrateBps = (uint)outcome.AppliedBps,
            CeilingBps = (uint)Math.Min(uint.MaxValue, outcome.CeilingBps),
            Clamped = outcome.Clamped,
        });
    }

    public override Task<EncoderStats> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        var stream = Require(request.Stream);
        var s = stream.Stats();
        return Task.FromResult(new EncoderStats
        {
            Stream = stream.Name,
            Codec = s.EncoderName.Length == 0 ? Codec.Unspecified : s.IsJpeg ? Codec.Jpeg : Codec.H264,
            EncoderName = s.EncoderName,
            Width = (uint)s.Width,
            Height = (uint)s.Height,
            Fps = s.Fps,
            BitrateBps = (uint)Math.Min(uint.MaxValue, s.BitrateBps),
            TargetBitrateBps = (uint)Math.Min(uint.MaxValue, stream.TargetBitrateBps),
            EncodeLatencyMsP50 = s.LatencyP50Ms,
            EncodeLatencyMsP99 = s.LatencyP99Ms,
            FramesEncoded = (ulong)s.FramesEncoded,
            FramesDropped = (ulong)s.FramesDropped,
            Keyframes = (ulong)s.Keyframes,
            LastFrameId = s.LastFrameId,
            UpstreamDropped = (ulong)s.UpstreamDropped,
        });
    }

    private StreamState Require(string name)
        => streams.Find(name) ?? throw new RpcException(new Status(StatusCode.NotFound,
            $"stream '{name}' has not been ingested by this encoder (start an Ingest call for it first)"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: Ingest started at frame {FrameId} from {Peer}")]
    private partial void LogIngestStarted(string stream, ulong frameId, string peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: Ingest ended; {Received} frames received, {Encoded} encoded, {Dropped} dropped, {UpstreamDropped} missing upstream, last frame {LastFrameId}")]
    private partial void LogIngestEnded(string stream, ulong received, ulong encoded, ulong dropped, ulong upstreamDropped, ulong lastFrameId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: Ingest ended by the caller after frame {LastFrameId}; the stream is free for the next call")]
    private partial void LogIngestAborted(Exception ex, string stream, ulong lastFrameId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: keyframe request ({Reason}): {Decision}, frame {FrameId}")]
    private partial void LogKeyframeRequest(string stream, string reason, Control.KeyframeDecision decision, ulong frameId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: bitrate {RequestedBps} bps requested, {AppliedBps} applied (clamped: {Clamped})")]
    private partial void LogBitrateRequest(string stream, long requestedBps, long appliedBps, bool clamped);
}
