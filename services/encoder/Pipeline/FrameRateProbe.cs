namespace Platform.Encoder.Pipeline;

/// <summary>
/// Measures a source's frame rate from the pts of its first frames, so the live session (whose rate control and one-frame
/// VBV are per frame) can be reopened tuned for it when the configured rate was wrong.
/// </summary>
public sealed class FrameRateProbe(int frames = 8)
{
    private long? _firstPtsUs;
    private long _lastPtsUs;
    private int _count;

    /// <summary>After <c>frames</c> frames, the measured rate (whole fps, 1..240); null before, and after it was reported once.</summary>
    public int? Add(long ptsUs)
    {
        if (_count > frames) return null;
        _firstPtsUs ??= ptsUs;
        if (ptsUs <= _lastPtsUs && _count > 0)
        {
            // The source restarted its clock: measure again from here.
            _firstPtsUs = ptsUs;
            _count = 0;
        }
        _lastPtsUs = ptsUs;
        if (++_count < frames) return null;
        _count = frames + 1;
        var span = _lastPtsUs - _firstPtsUs.Value;
        return span <= 0 ? null : (int)Math.Clamp(Math.Round((frames - 1) * 1_000_000.0 / span), 1, 240);
    }
}
