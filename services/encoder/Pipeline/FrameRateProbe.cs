namespace Platform.Encoder.Pipeline;

/// <summary>
/// Measures a source's nominal frame rate from the frame ids and pts of its first frames, so the live session (whose rate
/// control and one-frame VBV are per frame) can be reopened tuned for it when the configured rate was wrong. The rate is
/// frame-id steps per second of pts: frames the source dropped (ids skipped, as a starting sim does while it warms up)
/// do not make a 30 fps source look like a 12 fps one.
/// </summary>
public sealed class FrameRateProbe(int frames = 8)
{
    private (ulong Id, long PtsUs)? _first;
    private (ulong Id, long PtsUs) _last;
    private int _count;

    /// <summary>After <c>frames</c> frames, the measured rate (whole fps, 1..240); null before, and after it was reported once.</summary>
    public int? Add(ulong frameId, long ptsUs)
    {
        if (_count > frames) return null;
        if (_first is null || (_count > 0 && (ptsUs <= _last.PtsUs || frameId <= _last.Id)))
        {
            // The first frame, or the source restarted its clock or ids: measure again from here.
            _first = (frameId, ptsUs);
            _count = 0;
        }
        _last = (frameId, ptsUs);
        if (++_count < frames) return null;
        _count = frames + 1;
        var span = _last.PtsUs - _first.Value.PtsUs;
        var steps = _last.Id - _first.Value.Id;
        return span <= 0 ? null : (int)Math.Clamp(Math.Round(steps * 1_000_000.0 / span), 1, 240);
    }
}
