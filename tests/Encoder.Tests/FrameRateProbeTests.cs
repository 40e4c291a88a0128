using Platform.Encoder.Pipeline;

namespace Platform.Encoder.Tests;

public sealed class FrameRateProbeTests
{
    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(24)]
    [InlineData(15)]
    public void Reports_the_rate_once_after_eight_frames(int fps)
    {
        var probe = new FrameRateProbe();
        var reports = Enumerable.Range(0, 40).Select(i => probe.Add((long)(1000 + i * 1_000_000.0 / fps))).ToList();
        Assert.All(reports.Take(7), r => Assert.Null(r));
        Assert.Equal(fps, reports[7]);
        Assert.All(reports.Skip(8), r => Assert.Null(r));
    }

    [Fact]
    public void A_clock_that_restarts_during_the_measurement_starts_it_again()
    {
        var probe = new FrameRateProbe();
        for (var i = 0; i < 5; i++) Assert.Null(probe.Add(5_000_000 + i * 16_667));
        var reports = Enumerable.Range(0, 8).Select(i => probe.Add(i * 33_333L)).ToList();
        Assert.Equal(30, reports[^1]);
    }
}
