using Platform.Encoder.Pipeline;

namespace Platform.Encoder.Tests;

public sealed class RecordDecimatorTests
{
    [Theory]
    [InlineData(30, 2)]
    [InlineData(60, 4)]
    [InlineData(15, 1)]
    public void Takes_every_nth_frame_by_pts(int inputFps, int every)
    {
        var decimator = new RecordDecimator(15);
        var taken = Enumerable.Range(0, inputFps * 4).Where(i => decimator.Take((long)(i * 1_000_000.0 / inputFps))).ToList();
        Assert.Equal(Enumerable.Range(0, inputFps * 4 / every).Select(i => i * every), taken);
    }

    [Fact]
    public void Keeps_15_fps_when_the_input_rate_jitters()
    {
        var decimator = new RecordDecimator(15);
        var random = new Random(7);
        var pts = 0L;
        var taken = 0;
        for (var i = 0; i < 600; i++) // 10 s at about 60 fps, +-3 ms jitter
        {
            if (decimator.Take(pts + random.Next(-3000, 3000))) taken++;
            pts += 16_667;
        }
        Assert.InRange(taken, 148, 152);
    }

    [Fact]
    public void A_gap_or_a_pts_that_goes_back_restarts_the_slots_at_that_frame()
    {
        var decimator = new RecordDecimator(15);
        Assert.True(decimator.Take(0));
        Assert.False(decimator.Take(33_333));
        Assert.True(decimator.Take(5_000_000));  // a gap
        Assert.False(decimator.Take(5_033_333));
        Assert.True(decimator.Take(5_066_666));
        Assert.True(decimator.Take(0));          // the source restarted its clock
        Assert.False(decimator.Take(33_333));
        Assert.True(decimator.Take(66_666));
    }
}
