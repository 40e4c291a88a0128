using System.Globalization;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.Encoder.Tests.Wired;

/// <summary>One access unit as it arrived on NATS, with its headers read.</summary>
internal sealed record CapturedUnit(string Subject, ulong FrameId, long PtsUs, string Codec, bool Keyframe, long CaptureTsUs, bool HasTraceparent, byte[] Data);

/// <summary>Records every message on a video subject (a real subscription on a test client).</summary>
internal sealed class VideoCapture : IAsyncDisposable
{
    private readonly INatsSub<byte[]> _sub;
    private readonly List<CapturedUnit> _units = [];
    private readonly Lock _gate = new();
    private readonly Task _pump;

    private VideoCapture(INatsSub<byte[]> sub)
    {
        _sub = sub;
        _pump = Task.Run(PumpAsync);
    }

    public static async Task<VideoCapture> StartAsync(INatsConnection nats, string subject)
    {
        var sub = await nats.SubscribeCoreAsync<byte[]>(subject, opts: new NatsSubOpts { ChannelOpts = new NatsSubChannelOpts { Capacity = 10_000 } });
        await nats.PingAsync(); // the server has the subscription before any frame is sent
        return new VideoCapture(sub);
    }

    public IReadOnlyList<CapturedUnit> Units
    {
        get { lock (_gate) return [.. _units]; }
    }

    public int Count
    {
        get { lock (_gate) return _units.Count; }
    }

    public async Task<CapturedUnit> WaitForFrameAsync(ulong frameId, TimeSpan? timeout = null)
    {
        CapturedUnit? found = null;
        await Eventually.WaitAsync(() => (found = Units.FirstOrDefault(u => u.FrameId == frameId)) is not null, $"frame {frameId} on {_sub.Subject}", timeout);
        return found!;
    }

    public Task WaitForCountAsync(int count, TimeSpan? timeout = null)
        => Eventually.WaitAsync(() => Count >= count, $"{count} access units on {_sub.Subject} (have {Count})", timeout);

    private async Task PumpAsync()
    {
        await foreach (var msg in _sub.Msgs.ReadAllAsync())
        {
            var h = msg.Headers!;
            var unit = new CapturedUnit(
                msg.Subject,
                ulong.Parse(h[VideoHeaderNames.FrameId].ToString(), CultureInfo.InvariantCulture),
                long.Parse(h[VideoHeaderNames.Pts].ToString(), CultureInfo.InvariantCulture),
                h[VideoHeaderNames.Codec].ToString(),
                bool.Parse(h[VideoHeaderNames.Keyframe].ToString()),
                long.Parse(h[VideoHeaderNames.CaptureTs].ToString(), CultureInfo.InvariantCulture),
                h.ContainsKey("traceparent"),
                msg.Data ?? []);
            lock (_gate) _units.Add(unit);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sub.DisposeAsync();
        await _pump.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
