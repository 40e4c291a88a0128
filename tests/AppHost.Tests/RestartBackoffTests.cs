using Aspire.Hosting.ApplicationModel;

namespace Platform.AppHost.Tests;

public sealed class RestartBackoffTests
{
    [Fact]
    public void Delays_start_within_a_second_double_and_stop_at_the_cap()
    {
        var backoff = RestartBackoff.Default;

        Assert.True(backoff.DelayBefore(1) <= TimeSpan.FromSeconds(1));
        for (var attempt = 2; attempt <= 6; attempt++)
            Assert.Equal(backoff.DelayBefore(attempt - 1) * 2, backoff.DelayBefore(attempt));
        Assert.Equal(backoff.MaxDelay, backoff.DelayBefore(7));
        Assert.Equal(backoff.MaxDelay, backoff.DelayBefore(int.MaxValue));
        Assert.Equal(TimeSpan.FromMinutes(1), backoff.ResetAfter);
    }

    [Fact]
    public void Attempts_count_from_one()
        => Assert.Throws<ArgumentOutOfRangeException>(() => RestartBackoff.Default.DelayBefore(0));
}
