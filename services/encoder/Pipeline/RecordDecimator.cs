namespace Platform.Encoder.Pipeline;

/// <summary>
/// Picks the frames of the record profile by pts: one per 1/fps slot, so 30 or 60 fps in gives 15 fps out.
/// Frames between slots are skipped; a gap or a pts that jumps back restarts the slots at that frame.
/// </summary>
public sealed class RecordDecimator(int fps)
{
    // pts of integer microseconds rounds a 30 or 60 fps grid down by up to a microsecond or two.
    private const long ToleranceUs = 1_000;
    private readonly long _intervalUs = 1_000_000 / Math.Max(1, fps);
    private long? _nextUs;

    public bool Take(long ptsUs)
    {
        if (_nextUs is { } next)
        {
            var early = next - ptsUs;
            if (early > ToleranceUs && early <= 2 * _intervalUs) return false;
            _nextUs = early >= -_intervalUs && early <= ToleranceUs ? next + _intervalUs : ptsUs + _intervalUs;
            return true;
        }
        _nextUs = ptsUs + _intervalUs;
        return true;
    }
}
