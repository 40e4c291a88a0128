namespace Platform.Encoder.Pipeline;

/// <summary>Lets one log line through per interval and counts the ones held back, so a bad source cannot flood the log.</summary>
public sealed class LogLimiter(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long? _lastAt;
    private int _suppressed;

    /// <summary>True when this event may be logged; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool ShouldLog(out int suppressed)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_lastAt is { } last && time.GetElapsedTime(last, now) < interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            _lastAt = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
