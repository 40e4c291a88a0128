using System.Globalization;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.ViewerBench;

/// <summary>
/// The baseline: a plain NATS subscriber on video.&lt;stream&gt;.live, recording when each frame arrives against its
/// Capture-Ts. The browser cannot see a frame earlier than this, so browser latency / this is the viewer path's cost.
/// </summary>
internal sealed class NatsArrivals : IAsyncDisposable
{
    private readonly INatsSub<byte[]> _sub;
    private readonly Task _loop;
    private readonly Dictionary<long, double> _latencyMsByFrame = [];
    private readonly Lock _gate = new();

    private NatsArrivals(INatsSub<byte[]> sub)
    {
        _sub = sub;
        _loop = Task.Run(ReadAsync);
    }

    public static async Task<NatsArrivals> StartAsync(INatsConnection nats, string stream)
        => new(await nats.SubscribeCoreAsync<byte[]>(SubjectNames.VideoLive(stream)));

    /// <summary>Latency (ms) of each frame id seen; a copy.</summary>
    public Dictionary<long, double> Snapshot()
    {
        lock (_gate) return new Dictionary<long, double>(_latencyMsByFrame);
    }

    private async Task ReadAsync()
    {
        await foreach (var msg in _sub.Msgs.ReadAllAsync())
        {
            var now = VideoFeed.UnixMicroseconds();
            if (msg.Headers is null
                || !long.TryParse(msg.Headers[VideoHeaderNames.FrameId].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var frameId)
                || !long.TryParse(msg.Headers[VideoHeaderNames.CaptureTs].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var captureUs)
                || captureUs == 0)
                continue;
            lock (_gate) _latencyMsByFrame[frameId] = (now - captureUs) / 1000.0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sub.DisposeAsync();
        await _loop;
    }
}
