using System.Buffers;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Encoder.V1;
using Platform.SimRunner.Engine;
using Platform.SimRunner.Hosting;
using Platform.SimRunner.Rendering;

namespace Platform.SimRunner.Video;

/// <summary>
/// Renders the scene at <see cref="VideoOptions.Fps"/> and streams the frames to the encoder over one long-lived
/// <c>Encoder.Ingest</c> call.
/// <para>Back-pressure drops at the source: one frame at most is in flight. A frame period that begins while the
/// previous write has not completed (HTTP/2 flow control holds it while the encoder is slow) waits for it within the
/// period and renders late; when the write outlasts the whole period, that period's frame is dropped (counted), so
/// latency never queues up.</para>
/// <para>Frame ids and pts follow wall time: id n is the n-th frame period since the streamer started and
/// pts = n / fps. A dropped frame therefore leaves a visible gap in ids (the encoder can count source drops) and the
/// timestamps of the frames that are sent stay true to when they were rendered. The sim clock is not used for pts:
/// it stops while the sim is paused, restarts at 0 on reset and steps on the physics grid, none of which an encoder's
/// monotonic timeline allows.</para>
/// <para>When the encoder is unreachable or the stream breaks (an encoder restart), one warning is logged and the call
/// is opened again after a capped, jittered exponential backoff; the sim is never affected.</para>
/// </summary>
public sealed partial class FrameStreamer : BackgroundService
{
    private readonly VideoOptions _options;
    private readonly SceneSnapshotSource _scenes;
    private readonly Encoder.EncoderClient _encoder;
    private readonly SimRunnerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<FrameStreamer> _logger;
    private readonly SceneRenderer _renderer;
    private readonly I420Canvas _canvas;
    private readonly int _frameSize;
    private long _rendered;
    private long _sent;
    private long _dropped;
    private long _reconnects;
    private long _lastFrameId;
    private volatile bool _connected;

    public FrameStreamer(
        IOptions<VideoOptions> options, SimEngine engine, SceneSnapshotSource scenes, Encoder.EncoderClient encoder,
        SimRunnerMetrics metrics, TimeProvider time, ILogger<FrameStreamer> logger)
    {
        _options = options.Value;
        _scenes = scenes;
        _encoder = encoder;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _renderer = new SceneRenderer(engine.World.Scenario, _options.Width, _options.Height, _options.TrailLength);
        _frameSize = _renderer.FrameSize;
        _canvas = new I420Canvas(_options.Width, _options.Height);
    }

    public FrameStreamerStats Stats => new(
        Interlocked.Read(ref _rendered), Interlocked.Read(ref _sent), Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _reconnects), Interlocked.Read(ref _lastFrameId), _connected);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(_options.Width, _options.Height, _options.Fps, _options.EncoderAddress, _options.Stream);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / _options.Fps), _time);
        var start = _time.GetTimestamp();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (failures > 0)
            {
                Interlocked.Increment(ref _reconnects);
                _metrics.EncoderReconnect();
            }
            try
            {
                await StreamAsync(timer, start, () =>
                {
                    if (failures > 0) LogRestored(failures);
                    failures = 0;
                }, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _connected = false;
                var reason = ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;
                if (failures == 0) LogEncoderUnavailable(_options.EncoderAddress, reason, _options.ReconnectMaxDelay.TotalSeconds);
                else LogRetryFailed(failures, reason);
                failures++;
            }
            try
            {
                await Task.Delay(Backoff(failures), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Capped exponential backoff with jitter: a random half to all of min(max, initial × 2^(failures-1)).</summary>
    private TimeSpan Backoff(int failures)
    {
        var ceiling = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, _options.ReconnectInitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() * 0.5));
    }

    /// <summary>One Ingest call: a frame per period, at most one write in flight. Throws when the call fails.</summary>
    private async Task StreamAsync(PeriodicTimer timer, long start, Action delivered, CancellationToken stoppingToken)
    {
        using var callCts = new CancellationTokenSource();
        using var call = _encoder.Ingest(cancellationToken: callCts.Token);
        Task? write = null;
        long writeStarted = 0;
        byte[]? buffer = null;
        var sentHere = 0;
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        try
        {
            while (await tick.ConfigureAwait(false))
            {
                var frameId = NextFrameId(start);
                tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                if (write is not null)
                {
                    // Still writing the previous frame: this period's frame waits for it, but never past the period.
                    if (!write.IsCompleted && await Task.WhenAny(write, tick).ConfigureAwait(false) != write)
                    {
                        Interlocked.Increment(ref _dropped);
                        _metrics.FrameDropped();
                        var stalled = _time.GetElapsedTime(writeStarted);
                        if (stalled >= _options.WriteStallTimeout)
                            throw new TimeoutException($"the encoder has not taken a frame for {stalled.TotalSeconds:0.#} s (SimRunner:Video:WriteStallTimeout)");
                        continue;
                    }
                    await write.ConfigureAwait(false);
                    write = null;
                    ArrayPool<byte>.Shared.Return(buffer!);
                    buffer = null;
                    Interlocked.Increment(ref _sent);
                    _metrics.FrameSent();
                    // A second of video taken counts as connected (an encoder that accepts a write and then ends
                    // the call, e.g. UNIMPLEMENTED, must not reset the backoff or log again on every attempt).
                    if (++sentHere == _options.Fps)
                    {
                        _connected = true;
                        delivered();
                    }
                }
                if (call.ResponseAsync.IsCompleted)
                {
                    // The encoder ended the call (an error status, or a summary it should only send when we end it).
                    var summary = await call.ResponseAsync.ConfigureAwait(false);
                    throw new InvalidOperationException($"the encoder ended the Ingest stream after {summary.FramesReceived} frames");
                }
                if (_scenes.Latest is not { } scene) continue; // the sim has not ticked yet

                buffer = ArrayPool<byte>.Shared.Rent(_frameSize);
                var frame = Render(buffer, scene, frameId);
                write = call.RequestStream.WriteAsync(frame, callCts.Token);
                writeStarted = _time.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FinishAsync(call, write).ConfigureAwait(false);
            write = null;
            throw;
        }
        finally
        {
            // Cancelling the call fails a write still in flight; the buffer goes back only once nothing reads it.
            await callCts.CancelAsync().ConfigureAwait(false);
            if (write is not null)
            {
                try { await write.ConfigureAwait(false); } catch (Exception) { /* the call's failure is already being reported */ }
            }
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            ObserveResponse(call.ResponseAsync);
            // The timer allows one wait at a time: the next call's loop starts only after this one's pending tick.
            try { await tick.ConfigureAwait(false); } catch (OperationCanceledException) { /* stopping */ }
        }
    }

    private RawFrame Render(byte[] buffer, Rendering.SceneSnapshot scene, long frameId)
    {
        var started = Stopwatch.GetTimestamp();
        _canvas.Attach(buffer);
        _renderer.Render(_canvas, scene, frameId);
        var rendered = Stopwatch.GetElapsedTime(started);
        Interlocked.Increment(ref _rendered);
        _metrics.FrameRendered(rendered);
        return new RawFrame
        {
            Stream = _options.Stream,
            FrameId = (ulong)frameId,
            PtsUs = frameId * 1_000_000 / _options.Fps,
            CaptureTsUs = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond,
            Width = (uint)_options.Width,
            Height = (uint)_options.Height,
            PixelFormat = PixelFormat.I420,
            // The write serializes the message before it completes; the buffer returns to the pool after that.
            Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, _frameSize)),
        };
    }

    /// <summary>The frame period that has just begun, counted from the start (never repeating, gaps when ticks were late).</summary>
    private long NextFrameId(long start)
    {
        var period = (long)(_time.GetElapsedTime(start).TotalSeconds * _options.Fps);
        var id = Math.Max(Interlocked.Read(ref _lastFrameId) + 1, period);
        Interlocked.Exchange(ref _lastFrameId, id);
        return id;
    }

    /// <summary>On shutdown: lets the last write finish, half-closes the stream and logs the encoder's summary.</summary>
    private async Task FinishAsync(AsyncClientStreamingCall<RawFrame, IngestSummary> call, Task? write)
    {
        try
        {
            using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (write is not null) await write.WaitAsync(soon.Token).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            var summary = await call.ResponseAsync.WaitAsync(soon.Token).ConfigureAwait(false);
            var sourceDropped = Interlocked.Read(ref _dropped);
            LogSummary(summary.FramesReceived, summary.FramesEncoded, summary.FramesDropped, sourceDropped);
        }
        catch (Exception ex)
        {
            LogNoSummary(ex.Message);
        }
    }

    private static void ObserveResponse(Task<IngestSummary> response)
        => response.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rendering {Width}x{Height} at {Fps} fps for the encoder at {Address}, stream {Stream}")]
    private partial void LogStarting(int width, int height, int fps, Uri address, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The encoder at {Address} is not taking frames ({Reason}); frames are dropped at the source and the Ingest stream is retried with backoff (at most {MaxDelaySeconds} s apart). Check that the encoder service is running and reachable; the sim goes on meanwhile")]
    private partial void LogEncoderUnavailable(Uri address, string reason, double maxDelaySeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Encoder reconnect attempt {Attempt} failed: {Reason}")]
    private partial void LogRetryFailed(int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Streaming frames to the encoder again after {Attempts} failed attempts")]
    private partial void LogRestored(int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest stream closed: the encoder received {Received}, encoded {Encoded}, dropped {EncoderDropped}; {SourceDropped} frames were dropped at the source")]
    private partial void LogSummary(ulong received, ulong encoded, ulong encoderDropped, long sourceDropped);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ingest stream closed without a summary: {Reason}")]
    private partial void LogNoSummary(string reason);
}
