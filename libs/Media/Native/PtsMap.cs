namespace Platform.Media.Native;

/// <summary>
/// The codec runs in a time base of one frame (1/fps, which is what drives rate control in FFmpeg 5.1, where the codec
/// context has no "framerate" option). Each input's microsecond pts gets a strictly increasing tick; packets map back
/// to the caller's microseconds through this FIFO (outputs come in input order: there are no B-frames).
/// </summary>
internal sealed class PtsMap(int fps)
{
    private readonly Queue<(long Tick, long PtsUs)> pending = new(64);
    private long lastTick = long.MinValue;

    public long ToTick(long ptsUs)
    {
        var tick = (long)Math.Round(ptsUs * (double)fps / 1_000_000);
        if (lastTick != long.MinValue && tick <= lastTick) tick = lastTick + 1;
        lastTick = tick;
        pending.Enqueue((tick, ptsUs));
        return tick;
    }

    public long ToMicroseconds(long tick)
    {
        while (pending.TryDequeue(out var entry))
        {
            if (entry.Tick == tick) return entry.PtsUs;
            if (entry.Tick > tick) break;
        }
        return tick * 1_000_000 / fps;
    }
}
