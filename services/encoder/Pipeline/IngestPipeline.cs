using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Subjects;
using Platform.Encoder.Hosting;
using Platform.Media;
using NATS.Client.Core;

namespace Platform.Encoder.Pipeline;

/// <summary>
/// One Ingest call's pipeline: the gRPC reader <see cref="Offer"/>s frames into a small hand-off where the newest wins
/// (dropping is better than queueing latency); the live loop converts, encodes (live profile) and publishes
/// <c>video.&lt;stream&gt;.live</c>, and while a consumer holds a record lease hands every record slot's frame to the record
/// loop (record profile, <c>video.&lt;stream&gt;.record</c>), which runs beside it so recording never adds to live latency.
/// Each stretch of lease is one record session: it opens on the first frame (a keyframe first) and is flushed and closed
/// when the lease lapses, so nothing is encoded that nobody reads.
/// </summary>
public sealed partial class IngestPipeline : IDisposable
{
    private readonly StreamState _stream;
    private readonly EncoderOptions _options;
    private readonly INatsConnection _nats;
    private readonly TimeProvider _time;
    private readonly EncoderTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly Channel<RawFrame> _live;
    private readonly Channel<RecordFrame>? _record;
    private readonly string _liveSubject;
    private readonly string _recordSubject;
    private readonly LogLimiter _invalidLog;
    private readonly LogLimiter _dropLog;
    private readonly LogLimiter _gapLog;
    private readonly LogLimiter _encodeErrorLog;
    private readonly LogLimiter _publishErrorLog;
    private readonly Lock _keyframeGate = new();
    private List<TaskCompletionSource<ulong?>>? _keyframeWaiters;
    private ulong? _lastReceivedId;
    private readonly CancellationTokenSource _abandon = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loops = Task.CompletedTask;
    private volatile Exception? _fault;

    internal IngestPipeline(StreamState stream, EncoderOptions options, INatsConnection nats, TimeProvider time, EncoderTelemetry telemetry, ILogger logger)
    {
        _stream = stream;
        _options = options;
        _nats = nats;
        _time = time;
        _telemetry = telemetry;
        _logger = logger;
        _liveSubject = SubjectNames.VideoLive(stream.Name);
        _recordSubject = SubjectNames.VideoRecord(stream.Name);
        Stats = new IngestStats(time, TimeSpan.FromMilliseconds(options.StatsWindowMs), options.LatencyWindowFrames);
        var second = TimeSpan.FromSeconds(1);
        _invalidLog = new LogLimiter(time, second);
        _dropLog = new LogLimiter(time, second);
        _gapLog = new LogLimiter(time, second);
        _encodeErrorLog = new LogLimiter(time, second);
        _publishErrorLog = new LogLimiter(time, second);
        _live = Channel.CreateBounded<RawFrame>(
            new BoundedChannelOptions(Math.Max(1, options.HandoffCapacity)) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            OnLiveDropped);
        if (options.Record.Enabled)
        {
            _record = Channel.CreateBounded<RecordFrame>(
                new BoundedChannelOptions(Math.Max(1, options.Record.HandoffCapacity)) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
                OnRecordDropped);
        }
    }

    public string StreamName => _stream.Name;

    public IngestStats Stats { get; }

    /// <summary>Cancelled when a newer Ingest call took this stream over because this one went quiet.</summary>
    public CancellationToken Abandoned => _abandon.Token;

    /// <summary>Completes once the pipeline has finished and released its stream.</summary>
    internal Task Ended => _ended.Task;

    internal void Abandon()
    {
        try
        {
            _abandon.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended on its own meanwhile.
        }
    }

    internal void MarkEnded() => _ended.TrySetResult();

    /// <summary>After the call ended; the statistics stay readable for GetStats.</summary>
    public void Dispose() => _abandon.Dispose();

    /// <summary>Set when the stream cannot be encoded at all (no encoder opens); the Ingest call then fails with it.</summary>
    public Exception? Fault => _fault;

    internal void Start()
    {
        var live = Task.Run(RunLiveAsync);
        var record = _record is null ? Task.CompletedTask : Task.Run(RunRecordAsync);
        _loops = Task.WhenAll(live, record);
    }

    /// <summary>Validates a frame and hands it to the live loop without waiting; false once the pipeline has failed.</summary>
    public bool Offer(RawFrame frame)
    {
        Stats.Received(frame.FrameId, frame.Data.Length);
        if (_lastReceivedId is { } last && frame.FrameId > last + 1)
        {
            var missing = (long)(frame.FrameId - last - 1);
            Stats.UpstreamDropped(missing);
            _telemetry.UpstreamDropped(_stream.Name, missing);
            if (_gapLog.ShouldLog(out var held)) LogUpstreamGap(_stream.Name, last, frame.FrameId, missing, held);
        }
        _lastReceivedId = frame.FrameId;
        var problem = frame.Stream == _stream.Name ? FrameLayout.Problem(frame) : $"it names stream '{frame.Stream}' in an Ingest call for '{_stream.Name}'";
        if (problem is not null)
        {
            Stats.Dropped();
            _telemetry.Dropped(_stream.Name, "invalid");
            if (_invalidLog.ShouldLog(out var suppressed)) LogInvalidFrame(_stream.Name, frame.FrameId, problem, suppressed);
            return _fault is null;
        }
        return _live.Writer.TryWrite(frame) && _fault is null;
    }

    /// <summary>Ends the input and waits until every queued frame is encoded and published, and the encoders are closed.</summary>
    public async Task CompleteAsync()
    {
        _live.Writer.TryComplete();
        await _loops.ConfigureAwait(false);
    }

    public IngestSummary Summary()
    {
        var s = Stats.Snapshot();
        return new IngestSummary
        {
            FramesReceived = (ulong)s.FramesReceived,
            FramesEncoded = (ulong)s.FramesEncoded,
            FramesDropped = (ulong)s.FramesDropped,
            BytesReceived = (ulong)s.BytesReceived,
            LastFrameId = s.LastFrameId,
            UpstreamDropped = (ulong)s.UpstreamDropped,
        };
    }

    /// <summary>Forces the next live frame to be a keyframe; completes with its frame id, or null when none came within <paramref name="wait"/>.</summary>
    internal async Task<ulong?> ForceKeyframeAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<ulong?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_keyframeGate) (_keyframeWaiters ??= []).Add(waiter);
        try
        {
            return await waiter.Task.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private List<TaskCompletionSource<ulong?>>? TakeKeyframeWaiters()
    {
        lock (_keyframeGate)
        {
            var waiters = _keyframeWaiters;
            _keyframeWaiters = null;
            return waiters;
        }
    }

    /// <summary>A forced keyframe that did not come out (the encode failed) is asked for again on the next frame.</summary>
    private void Requeue(List<TaskCompletionSource<ulong?>> waiters)
    {
        lock (_keyframeGate) (_keyframeWaiters ??= []).AddRange(waiters);
    }

    private async Task RunLiveAsync()
    {
        var output = new List<EncodedAccessUnit>(4);
        var stamps = new Dictionary<long, FrameStamp>();
        RecordDecimator? decimator = null; // set while leased: a fresh one per record session takes its first frame
        long recordSession = 0;
        var rateProbe = new FrameRateProbe();
        var fps = _options.Fps;
        VideoEncoder? encoder = null;
        FrameConverter? converter = null;
        long appliedBitrate = 0;
        try
        {
            await foreach (var frame in _live.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                var started = _time.GetTimestamp();
                int width = (int)frame.Width, height = (int)frame.Height;
                if (encoder is not null && (encoder.Width != width || encoder.Height != height))
                {
                    LogResolutionChanged(_stream.Name, frame.FrameId, encoder.Width, encoder.Height, width, height);
                    await PublishLiveAsync(encoder, output, stamps, null, drain: true).ConfigureAwait(false);
                    encoder.Dispose();
                    encoder = null;
                }
                if (rateProbe.Add(frame.FrameId, frame.PtsUs) is { } measured && Math.Abs(measured - fps) > fps / 5)
                {
                    // Rate control and the one-frame VBV are per frame: a session tuned for the wrong rate misses its bitrate.
                    LogFrameRateMeasured(_stream.Name, frame.FrameId, measured, fps);
                    fps = measured;
                    if (encoder is not null)
                    {
                        await PublishLiveAsync(encoder, output, stamps, null, drain: true).ConfigureAwait(false);
                        encoder.Dispose();
                        encoder = null;
                    }
                }
                if (encoder is null)
                {
                    encoder = OpenSession(EncoderProfile.Live, width, height, fps, _stream.TargetBitrateBps, 0);
                    appliedBitrate = _stream.TargetBitrateBps;
                    Stats.SessionOpened(encoder.EncoderName, encoder.Codec == VideoCodec.Jpeg, width, height);
                }
                var waiters = TakeKeyframeWaiters();
                var stamp = new FrameStamp(frame.FrameId, frame.PtsUs, frame.CaptureTsUs);
                ReadOnlyMemory<byte> i420 = default;
                byte[]? pooled = null;
                try
                {
                    var target = _stream.TargetBitrateBps;
                    if (target != appliedBitrate)
                    {
                        appliedBitrate = target;
                        encoder.SetBitrate(target);
                        LogBitrateApplied(_stream.Name, frame.FrameId, target);
                    }
                    (i420, pooled) = ToI420(frame, ref converter);
                    stamps[frame.PtsUs] = stamp;
                    encoder.Encode(i420.Span, frame.PtsUs, waiters is not null, output);
                }
                catch (MediaException ex)
                {
                    // Drop the frame and start a fresh session on the next one (it begins with a keyframe).
                    stamps.Remove(frame.PtsUs);
                    Release(pooled);
                    if (waiters is not null) Requeue(waiters);
                    Stats.Dropped();
                    _telemetry.Dropped(_stream.Name, "encode_error");
                    if (_encodeErrorLog.ShouldLog(out var suppressed)) LogEncodeFailed(ex, _stream.Name, frame.FrameId, encoder.EncoderName, suppressed);
                    encoder.Dispose();
                    encoder = null;
                    converter?.Dispose();
                    converter = null;
                    continue;
                }
                var latency = _time.GetElapsedTime(started);
                Stats.EncodeLatency(latency);
                _telemetry.Encoded(_stream.Name, "live", latency);
                await PublishLiveAsync(encoder, output, stamps, waiters, drain: false, fallback: stamp).ConfigureAwait(false);
                if (waiters is not null && waiters.Exists(w => !w.Task.IsCompleted)) Requeue(waiters);

                if (_record is not null && _stream.RecordLeased != decimator is not null)
                {
                    if (decimator is null)
                    {
                        decimator = new RecordDecimator(_options.Record.Fps);
                        recordSession++;
                        LogRecordStarted(_stream.Name, frame.FrameId);
                    }
                    else
                    {
                        decimator = null;
                        _record.Writer.TryWrite(RecordFrame.End(recordSession));
                        LogRecordStopped(_stream.Name, frame.FrameId);
                    }
                }
                if (decimator is not null && decimator.Take(frame.PtsUs))
                {
                    _record!.Writer.TryWrite(new RecordFrame(i420, pooled, width, height, stamp, recordSession));
                }
                else
                {
                    Release(pooled);
                }
            }
            if (encoder is not null) await PublishLiveAsync(encoder, output, stamps, null, drain: true).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Typically not even the JPEG fallback opened: nothing this call sends can be encoded. The call fails with the reason.
            _fault = ex;
            _live.Writer.TryComplete();
            LogStreamFailed(ex, _stream.Name);
            while (_live.Reader.TryRead(out _))
            {
                Stats.Dropped();
            }
        }
        finally
        {
            encoder?.Dispose();
            converter?.Dispose();
            _record?.Writer.TryComplete();
            foreach (var waiter in TakeKeyframeWaiters() ?? []) waiter.TrySetResult(null);
        }
    }

    private async Task RunRecordAsync()
    {
        var output = new List<EncodedAccessUnit>(4);
        var stamps = new Dictionary<long, FrameStamp>();
        VideoEncoder? encoder = null;
        long session = 0;
        var disabled = false;
        try
        {
            await foreach (var item in _record!.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    if (disabled) continue;
                    // A session's end (its marker, or a newer session's frame if the marker was dropped) flushes and closes its encoder.
                    if (encoder is not null && (item.IsEnd || item.Session != session || encoder.Width != item.Width || encoder.Height != item.Height))
                    {
                        await PublishRecordAsync(encoder, output, stamps, null, drain: true).ConfigureAwait(false);
                        encoder.Dispose();
                        encoder = null;
                    }
                    if (item.IsEnd) continue;
                    if (encoder is null)
                    {
                        session = item.Session;
                        var fps = _options.Record.Fps;
                        var gop = Math.Max(1, (int)Math.Round(fps * _options.Record.KeyframeIntervalSeconds));
                        try
                        {
                            encoder = OpenSession(EncoderProfile.Record, item.Width, item.Height, fps, _options.Record.BitrateBps, gop);
                        }
                        catch (MediaException ex)
                        {
                            disabled = true;
                            LogRecordDisabled(ex, _stream.Name);
                            continue;
                        }
                    }
                    stamps[item.Stamp.PtsUs] = item.Stamp;
                    var started = _time.GetTimestamp();
                    encoder.Encode(item.I420.Span, item.Stamp.PtsUs, false, output);
                    _telemetry.Encoded(_stream.Name, "record", _time.GetElapsedTime(started));
                    await PublishRecordAsync(encoder, output, stamps, item.Stamp, drain: false).ConfigureAwait(false);
                }
                catch (MediaException ex)
                {
                    stamps.Remove(item.Stamp.PtsUs);
                    _telemetry.Dropped(_stream.Name, "record_encode_error");
                    if (_encodeErrorLog.ShouldLog(out var suppressed)) LogEncodeFailed(ex, _stream.Name, item.Stamp.FrameId, encoder?.EncoderName ?? "?", suppressed);
                    encoder?.Dispose();
                    encoder = null;
                }
                finally
                {
                    Release(item.Pooled);
                }
            }
            if (encoder is not null) await PublishRecordAsync(encoder, output, stamps, null, drain: true).ConfigureAwait(false);
        }
        finally
        {
            encoder?.Dispose();
            while (_record!.Reader.TryRead(out var left)) Release(left.Pooled);
        }
    }

    private VideoEncoder OpenSession(EncoderProfile profile, int width, int height, int fps, long bitrateBps, int keyframeIntervalFrames)
    {
        using var activity = EncoderTelemetry.Source.StartActivity("open encoder");
        var options = new VideoEncoderOptions
        {
            Width = width,
            Height = height,
            Fps = fps,
            Profile = profile,
            BitrateBps = bitrateBps,
            KeyframeIntervalFrames = keyframeIntervalFrames,
            JpegQuality = _options.JpegQuality,
        };
        var encoder = VideoEncoderSelector.Open(options, _options.EffectiveH264Encoders, _logger, _options.ForceJpeg);
        activity?.SetTag("encoder.stream", _stream.Name);
        activity?.SetTag("encoder.profile", profile.ToString());
        activity?.SetTag("encoder.name", encoder.EncoderName);
        LogSessionOpened(_stream.Name, profile, encoder.EncoderName, width, height, fps, bitrateBps);
        return encoder;
    }

    /// <summary>Publishes what the live encoder produced (or, with <paramref name="drain"/>, flushes it first).</summary>
    private async ValueTask PublishLiveAsync(VideoEncoder encoder, List<EncodedAccessUnit> output, Dictionary<long, FrameStamp> stamps,
        List<TaskCompletionSource<ulong?>>? waiters, bool drain, FrameStamp? fallback = null)
    {
        if (drain) encoder.Flush(output);
        var codec = encoder.Codec == VideoCodec.Jpeg ? VideoCodecNames.Jpeg : VideoCodecNames.H264;
        try
        {
            foreach (var au in output)
            {
                var stamp = TakeStamp(stamps, au.PtsUs, fallback);
                if (au.Keyframe)
                {
                    _stream.Throttle.OnKeyframe();
                    Stats.Keyframe(stamp.FrameId);
                    _telemetry.Keyframe(_stream.Name, waiters is not null);
                    if (waiters is not null)
                    {
                        foreach (var waiter in waiters) waiter.TrySetResult(stamp.FrameId);
                        LogForcedKeyframe(_stream.Name, stamp.FrameId);
                    }
                }
                Stats.Published(au.Data.Length);
                await PublishAsync(_liveSubject, "live", au, stamp, codec).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var au in output) au.Dispose();
            output.Clear();
        }
    }

    /// <summary>Publishes what the record encoder produced (or, with <paramref name="drain"/>, flushes it first).</summary>
    private async ValueTask PublishRecordAsync(VideoEncoder encoder, List<EncodedAccessUnit> output, Dictionary<long, FrameStamp> stamps, FrameStamp? fallback, bool drain)
    {
        if (drain) encoder.Flush(output);
        var codec = encoder.Codec == VideoCodec.Jpeg ? VideoCodecNames.Jpeg : VideoCodecNames.H264;
        try
        {
            foreach (var au in output) await PublishAsync(_recordSubject, "record", au, TakeStamp(stamps, au.PtsUs, fallback), codec).ConfigureAwait(false);
        }
        finally
        {
            foreach (var au in output) au.Dispose();
            output.Clear();
        }
    }

    /// <summary>The source frame of an access unit, found by pts (an encoder with delay emits it frames later).</summary>
    private static FrameStamp TakeStamp(Dictionary<long, FrameStamp> stamps, long ptsUs, FrameStamp? fallback)
    {
        if (stamps.Remove(ptsUs, out var stamp))
        {
            if (stamps.Count > 64) stamps.Clear(); // frames an encoder swallowed must not pile up
            return stamp;
        }
        return fallback ?? new FrameStamp(0, ptsUs, 0);
    }

    private async ValueTask PublishAsync(string subject, string profile, EncodedAccessUnit au, FrameStamp stamp, string codec)
    {
        var headers = new NatsHeaders
        {
            [VideoHeaderNames.FrameId] = stamp.FrameId.ToString(CultureInfo.InvariantCulture),
            [VideoHeaderNames.Pts] = au.PtsUs.ToString(CultureInfo.InvariantCulture),
            [VideoHeaderNames.Codec] = codec,
            [VideoHeaderNames.Keyframe] = au.Keyframe ? "true" : "false",
            [VideoHeaderNames.CaptureTs] = stamp.CaptureTsUs.ToString(CultureInfo.InvariantCulture),
        };
        try
        {
            await _nats.PublishAsync(subject, au.Data, headers).ConfigureAwait(false);
            _telemetry.Published(_stream.Name, profile, stamp.CaptureTsUs, _time);
        }
        catch (NatsException ex)
        {
            // The frame is lost for this subject; the stream goes on (a viewer recovers at the next keyframe it asks for).
            if (_publishErrorLog.ShouldLog(out var suppressed)) LogPublishFailed(ex, subject, stamp.FrameId, au.Data.Length, suppressed);
        }
    }

    /// <summary>The frame as I420: its own bytes when it already is, else converted by libswscale into a pooled buffer.</summary>
    private static (ReadOnlyMemory<byte> I420, byte[]? Pooled) ToI420(RawFrame frame, ref FrameConverter? converter)
    {
        if (frame.PixelFormat == PixelFormat.I420) return (frame.Data.Memory, null);
        int width = (int)frame.Width, height = (int)frame.Height;
        var source = ToMediaFormat(frame.PixelFormat);
        if (converter is null || converter.Width != width || converter.Height != height || converter.Format != source)
        {
            converter?.Dispose();
            converter = new FrameConverter(source, width, height);
        }
        var size = (int)FrameLayout.ExpectedBytes(PixelFormat.I420, width, height);
        var pooled = ArrayPool<byte>.Shared.Rent(size);
        converter.Convert(frame.Data.Span, pooled.AsSpan(0, size));
        return (pooled.AsMemory(0, size), pooled);
    }

    private static RawPixelFormat ToMediaFormat(PixelFormat format) => format switch
    {
        PixelFormat.Nv12 => RawPixelFormat.Nv12,
        PixelFormat.Rgb24 => RawPixelFormat.Rgb24,
        PixelFormat.Bgra => RawPixelFormat.Bgra,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a converted format"),
    };

    private static void Release(byte[]? pooled)
    {
        if (pooled is not null) ArrayPool<byte>.Shared.Return(pooled);
    }

    private void OnLiveDropped(RawFrame frame)
    {
        Stats.Dropped();
        _telemetry.Dropped(_stream.Name, "handoff");
        if (_dropLog.ShouldLog(out var suppressed)) LogHandoffDrop(_stream.Name, frame.FrameId, suppressed);
    }

    private void OnRecordDropped(RecordFrame frame)
    {
        if (frame.IsEnd) return;
        Release(frame.Pooled);
        _telemetry.Dropped(_stream.Name, "record_handoff");
        if (_dropLog.ShouldLog(out var suppressed)) LogRecordDrop(_stream.Name, frame.Stamp.FrameId, suppressed);
    }

    private readonly record struct FrameStamp(ulong FrameId, long PtsUs, long CaptureTsUs);

    /// <summary>A frame of record session <c>Session</c>, or (<see cref="IsEnd"/>) the mark that the session's lease lapsed.</summary>
    private readonly record struct RecordFrame(ReadOnlyMemory<byte> I420, byte[]? Pooled, int Width, int Height, FrameStamp Stamp, long Session, bool IsEnd = false)
    {
        public static RecordFrame End(long session) => new(default, null, 0, 0, default, session, IsEnd: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream}: skipped frame {FrameId}: {Problem} ({Suppressed} more skipped since the last warning)")]
    private partial void LogInvalidFrame(string stream, ulong frameId, string problem, int suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: frame ids jump from {LastFrameId} to {FrameId}: {Missing} frames dropped upstream ({Suppressed} more gaps since the last line)")]
    private partial void LogUpstreamGap(string stream, ulong lastFrameId, ulong frameId, long missing, int suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream}: the encoder is behind the source; dropped frame {FrameId} from the hand-off ({Suppressed} more since the last warning)")]
    private partial void LogHandoffDrop(string stream, ulong frameId, int suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream}: the record encoder is more than its hand-off behind; frame {FrameId} is not recorded ({Suppressed} more since the last warning)")]
    private partial void LogRecordDrop(string stream, ulong frameId, int suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: a consumer holds a record lease; the record profile starts at frame {FrameId}")]
    private partial void LogRecordStarted(string stream, ulong frameId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: the record lease lapsed; the record profile stops before frame {FrameId}")]
    private partial void LogRecordStopped(string stream, ulong frameId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: resolution changes at frame {FrameId} from {OldWidth}x{OldHeight} to {Width}x{Height}; reopening the encoder")]
    private partial void LogResolutionChanged(string stream, ulong frameId, int oldWidth, int oldHeight, int width, int height);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: {Profile} session opened with {EncoderName} at {Width}x{Height}, {Fps} fps, {BitrateBps} bps")]
    private partial void LogSessionOpened(string stream, EncoderProfile profile, string encoderName, int width, int height, int fps, long bitrateBps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: the source runs at {Fps} fps (session was tuned for {OldFps}); reopening the live session at frame {FrameId}")]
    private partial void LogFrameRateMeasured(string stream, ulong frameId, int fps, int oldFps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream}: bitrate {BitrateBps} bps from frame {FrameId}")]
    private partial void LogBitrateApplied(string stream, ulong frameId, long bitrateBps);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stream {Stream}: forced keyframe at frame {FrameId}")]
    private partial void LogForcedKeyframe(string stream, ulong frameId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream}: {EncoderName} failed on frame {FrameId}; the frame is dropped and the session reopened ({Suppressed} more since the last warning)")]
    private partial void LogEncodeFailed(Exception ex, string stream, ulong frameId, string encoderName, int suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {Stream}: the live encoder failed (no encoder opened, not even the JPEG fallback?); ending the Ingest call")]
    private partial void LogStreamFailed(Exception ex, string stream);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {Stream}: the record session could not be opened; video.{Stream}.record stays silent for this Ingest call")]
    private partial void LogRecordDisabled(Exception ex, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing frame {FrameId} ({Bytes} bytes) on {Subject} failed ({Suppressed} more since the last warning); check NATS (max_payload, connection)")]
    private partial void LogPublishFailed(Exception ex, string subject, ulong frameId, int bytes, int suppressed);
}
