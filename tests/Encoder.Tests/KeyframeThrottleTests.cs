using Platform.Encoder.Control;
using Platform.TestSupport;

namespace Platform.Encoder.Tests;

public sealed class KeyframeThrottleTests
{
    private readonly ManualTime _time = new(DateTimeOffset.UnixEpoch);
    private readonly KeyframeThrottle _throttle;

    public KeyframeThrottleTests() => _throttle = new KeyframeThrottle(_time, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(200));

    [Fact]
    public void The_first_request_is_accepted_and_the_next_within_500_ms_is_not()
    {
        Assert.Equal(KeyframeDecision.Accepted, _throttle.TryAccept());
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(KeyframeDecision.TooSoonAfterRequest, _throttle.TryAccept());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(KeyframeDecision.Accepted, _throttle.TryAccept());
    }

    [Fact]
    public void A_request_within_200_ms_of_any_keyframe_is_throttled_natural_ones_included()
    {
        _throttle.OnKeyframe(); // the session's first IDR
        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(KeyframeDecision.TooSoonAfterKeyframe, _throttle.TryAccept());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(KeyframeDecision.Accepted, _throttle.TryAccept());
    }

    [Fact]
    public void A_burst_of_requests_yields_one_keyframe_per_500_ms()
    {
        var accepted = 0;
        for (var ms = 0; ms < 2000; ms += 10)
        {
            if (_throttle.TryAccept() == KeyframeDecision.Accepted)
            {
                accepted++;
                _throttle.OnKeyframe();
            }
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }
        Assert.Equal(4, accepted);
    }

    [Fact]
    public void The_intervals_come_from_the_options()
    {
        var throttle = new KeyframeThrottle(_time, TimeSpan.FromSeconds(2), TimeSpan.Zero);
        Assert.Equal(KeyframeDecision.Accepted, throttle.TryAccept());
        _time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(KeyframeDecision.TooSoonAfterRequest, throttle.TryAccept());
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(KeyframeDecision.Accepted, throttle.TryAccept());
    }
}
