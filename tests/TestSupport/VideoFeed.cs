using System.Diagnostics;
using System.Globalization;
using Platform.Contracts.Subjects;
using NATS.Client.Core;

namespace Platform.TestSupport;

/// <summary>
/// Stands in for the encoder: publishes <see cref="H264TestClip"/> (or, for the fallback, <see cref="JpegTestClip"/>)
/// on <c>video.&lt;stream&gt;.live</c> at 30 fps, in a loop, with the encoder's headers (Frame-Id increasing, Pts, Codec,
/// Keyframe, Capture-Ts = now in Unix µs). <see cref="Pause"/>/<see cref="Resume"/> stop and restart the frames (a
/// stalled encoder).
/// </summary>
public sealed class VideoFeed : IAsyncDisposable
{
    private readonly INatsConnection _nats;
    private readonly string _subject;
    private readonly IReadOnlyList<EncodedClipFrame> _units;
    private readonly string _codec;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile bool _paused;
    private long _published;

    private VideoFeed(INatsConnection nats, string stream, IReadOnlyList<EncodedClipFrame> units, string codec)
    {
        _nats = nats;
        _subject = SubjectNames.VideoLive(stream);
        _units = units;
        _codec = codec;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public long Published => Interlocked.Read(ref _published);

    /// <summary>H.264 on <paramref name="stream"/>, as the encoder makes it.</summary>
    public static async Task<VideoFeed> StartAsync(INatsConnection nats, string stream = "main")
        => new(nats, stream, await H264TestClip.AccessUnitsAsync(), VideoCodecNames.H264);

    /// <summary>JPEGs on <paramref name="stream"/>, as the encoder's fallback makes them.</summary>
    public static async Task<VideoFeed> StartJpegAsync(INatsConnection nats, string stream)
        => new(nats, stream, await JpegTestClip.FramesAsync(), VideoCodecNames.Jpeg);

    /// <summary>How far in the past each frame's Capture-Ts lies (frames that arrive on time but show an old picture).</summary>
    public TimeSpan CaptureDelay { get; set; }

    public void Pause() => _paused = true;

    public void Resume() => _paused = false;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1.0 / H264TestClip.FramesPerSecond);
        var clock = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        long frameId = 0;
        var resumeAtKeyframe = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                next += interval;
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
                var unit = _units[(int)(frameId % _units.Count)];
                if (_paused)
                {
                    resumeAtKeyframe = true;
                }
                else if (!resumeAtKeyframe || unit.Keyframe)
                {
                    // After a pause the next frame sent is a keyframe, as an encoder that restarts would make.
                    resumeAtKeyframe = false;
                    var headers = new NatsHeaders
                    {
                        [VideoHeaderNames.FrameId] = frameId.ToString(CultureInfo.InvariantCulture),
                        [VideoHeaderNames.Pts] = (frameId * 1_000_000 / H264TestClip.FramesPerSecond).ToString(CultureInfo.InvariantCulture),
                        [VideoHeaderNames.Codec] = _codec,
                        [VideoHeaderNames.Keyframe] = unit.Keyframe ? "true" : "false",
                        [VideoHeaderNames.CaptureTs] = (UnixMicroseconds() - (long)CaptureDelay.TotalMicroseconds).ToString(CultureInfo.InvariantCulture),
                    };
                    await _nats.PublishAsync(_subject, unit.Data, headers, cancellationToken: cancellationToken);
                    Interlocked.Increment(ref _published);
                }
                frameId++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Unix time in microseconds (the Capture-Ts clock).</summary>
    public static long UnixMicroseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
