namespace Platform.Encoder.Control;

/// <summary>Why a keyframe request was or was not accepted.</summary>
public enum KeyframeDecision
{
    Accepted,

    /// <summary>Another forced keyframe was accepted less than the minimum interval ago.</summary>
    TooSoonAfterRequest,

    /// <summary>A keyframe (forced or natural) went out less than the quiet time ago.</summary>
    TooSoonAfterKeyframe,
}

/// <summary>
/// Per-stream keyframe throttle (seed 002's PLI rate limit): at most one forced keyframe per minimum interval, none within
/// the quiet time after any keyframe. Responding to every PLI would flood a congested link with IDRs exactly when it hurts.
/// </summary>
public sealed class KeyframeThrottle(TimeProvider time, TimeSpan minInterval, TimeSpan quietAfterKeyframe)
{
    private readonly Lock _gate = new();
    private long? _lastAcceptedAt;
    private long? _lastKeyframeAt;

    public KeyframeDecision TryAccept()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_lastAcceptedAt is { } accepted && time.GetElapsedTime(accepted, now) < minInterval) return KeyframeDecision.TooSoonAfterRequest;
            if (_lastKeyframeAt is { } keyframe && time.GetElapsedTime(keyframe, now) < quietAfterKeyframe) return KeyframeDecision.TooSoonAfterKeyframe;
            _lastAcceptedAt = now;
            return KeyframeDecision.Accepted;
        }
    }

    /// <summary>A keyframe left the encoder (natural or forced).</summary>
    public void OnKeyframe()
    {
        lock (_gate) _lastKeyframeAt = time.GetTimestamp();
    }
}
