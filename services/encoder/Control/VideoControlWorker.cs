using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Subjects;
using Platform.Encoder.Hosting;
using Platform.Encoder.Pipeline;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;

namespace Platform.Encoder.Control;

/// <summary>
/// Serves <c>video.&lt;stream&gt;.control</c> (request/reply): <c>{keyframe: true}</c> and/or <c>{bitrate_bps}</c>, with the same
/// throttle and clamp as the gRPC calls, and record leases <c>{record: true, lease_ms}</c> (<see cref="VideoControlRequest"/>). Every request gets a reply; a malformed one gets <c>error</c> saying what is wrong,
/// and so does one the encoder cannot serve (no libavcodec, stream not ingested): the transport shows viewers that reason.
/// </summary>
public sealed partial class VideoControlWorker(NatsSubscriptionLoop subscriptions, EncoderStreams streams, MediaLibraryStatus media, IOptions<EncoderOptions> options, ILogger<VideoControlWorker> logger) : BackgroundService
{
    private const string Usage = "send {\"keyframe\": true}, {\"bitrate_bps\": N} and/or {\"record\": true, \"lease_ms\": N}";
    private const string AllControls = SubjectNames.VideoPrefix + "*.control";
    private const string ControlSuffix = ".control";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        subscriptions.RunAsync(AllControls, msg =>
        {
            // Concurrently: an accepted keyframe request waits for its frame, and must not hold up the others.
            _ = HandleAsync(msg, stoppingToken);
            return ValueTask.CompletedTask;
        }, stoppingToken);

    private async Task HandleAsync(NatsMsg<byte[]> msg, CancellationToken cancellationToken)
    {
        try
        {
            using var activity = msg.StartActivity("video control");
            var stream = msg.Subject[SubjectNames.VideoPrefix.Length..^ControlSuffix.Length];
            var reply = await AnswerAsync(stream, msg.Data, cancellationToken).ConfigureAwait(false);
            if (reply.Error is not null) LogRejected(msg.Subject, reply.Error);
            if (string.IsNullOrEmpty(msg.ReplyTo))
            {
                LogNoReplySubject(msg.Subject);
                return;
            }
            await msg.ReplyAsync(JsonSerializer.SerializeToUtf8Bytes(reply, SubjectsJsonContext.Default.VideoControlReply), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(ex, msg.Subject);
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal async Task<VideoControlReply> AnswerAsync(string streamName, byte[]? payload, CancellationToken cancellationToken)
    {
        VideoControlRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(payload ?? [], SubjectsJsonContext.Default.VideoControlRequest);
        }
        catch (JsonException ex)
        {
            return new VideoControlReply(Error: $"the request is not a JSON object ({Usage}): {ex.Message}");
        }
        if (request is null) return new VideoControlReply(Error: $"the request is JSON null; {Usage}");
        if (request.Keyframe != true && request.BitrateBps is null && request.Record is null)
            return new VideoControlReply(Error: $"nothing requested; {Usage}");
        if (request.Record is { } record && RecordProblem(record, request.LeaseMs) is { } problem)
            return new VideoControlReply(Error: problem);
        if (media.Error is { } missing)
            return new VideoControlReply(Error: $"the encoder cannot encode: {missing}");
        // A lease may come before the stream's first frame (the recorder opens a session while the source starts).
        if (request.Record == true && EncoderStreams.NameProblem(streamName) is { } badName)
            return new VideoControlReply(Error: badName);
        var stream = request.Record == true ? streams.GetOrAdd(streamName) : streams.Find(streamName);
        if (stream is null)
            return new VideoControlReply(Error: $"stream '{streamName}' has not been ingested by this encoder (is the sim-runner streaming video to it?)");

        int? leaseMs = null;
        if (request.Record == true)
        {
            leaseMs = request.LeaseMs!.Value;
            stream.LeaseRecord(TimeSpan.FromMilliseconds(leaseMs.Value));
            LogRecordLease(stream.Name, request.Reason ?? "nats", leaseMs.Value);
        }

        var bitrate = request.BitrateBps is { } bps ? stream.SetBitrate(bps) : null;
        if (bitrate is not null) LogBitrate(stream.Name, request.Reason ?? "nats", request.BitrateBps!.Value, bitrate.AppliedBps, bitrate.Clamped);
        KeyframeOutcome? keyframe = null;
        if (request.Keyframe == true)
        {
            keyframe = await stream.RequestKeyframeAsync(cancellationToken).ConfigureAwait(false);
            LogKeyframe(stream.Name, request.Reason ?? "nats", keyframe.Decision, keyframe.FrameId);
        }
        return new VideoControlReply(keyframe?.Accepted, keyframe?.FrameId, bitrate?.AppliedBps, bitrate?.CeilingBps, bitrate?.Clamped, RecordLeaseMs: leaseMs);
    }

    private string? RecordProblem(bool record, int? leaseMs)
    {
        if (!record) return "{\"record\": false} is not a request: a record lease ends by lapsing; stop renewing it";
        if (leaseMs is not (>= 1 and <= VideoControlRequest.MaxRecordLeaseMs))
            return $"a record lease needs lease_ms from 1 to {VideoControlRequest.MaxRecordLeaseMs}, e.g. {{\"record\": true, \"lease_ms\": 5000}} renewed every 2.5 s";
        if (!options.Value.Record.Enabled) return "this encoder does not record (Encoder:Record:Enabled is false)";
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: keyframe request ({Reason}) over NATS: {Decision}, frame {FrameId}")]
    private partial void LogKeyframe(string stream, string reason, KeyframeDecision decision, ulong frameId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: bitrate {RequestedBps} bps requested ({Reason}) over NATS, {AppliedBps} applied (clamped: {Clamped})")]
    private partial void LogBitrate(string stream, string reason, long requestedBps, long appliedBps, bool clamped);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stream {Stream}: record lease of {LeaseMs} ms ({Reason})")]
    private partial void LogRecordLease(string stream, string reason, int leaseMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control request on {Subject} refused: {Error}")]
    private partial void LogRejected(string subject, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control message on {Subject} has no reply subject; send it as a request")]
    private partial void LogNoReplySubject(string subject);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a control request on {Subject} failed")]
    private partial void LogHandlerFailed(Exception ex, string subject);

}
