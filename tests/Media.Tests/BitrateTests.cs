using Platform.Media;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Media.Tests;

public sealed class BitrateTests(ITestOutputHelper output)
{
    [Fact]
    public void SetBitrate_on_a_running_session_changes_the_output_size()
    {
        var options = VideoEncoderOptions.Live with { Width = 640, Height = 360, BitrateBps = 2_000_000 };
        using var encoder = VideoEncoder.Open(options);
        const int perPhase = 45;
        var stream = EncodedStream.Encode(encoder, new SyntheticVideo(640, 360), perPhase * 2, beforeFrame: i =>
        {
            if (i == perPhase) encoder.SetBitrate(300_000);
        });
        Assert.Equal(300_000, encoder.BitrateBps);

        // Skip the settling frames of each phase; compare steady-state bits per second against the targets.
        double Bps(int from, int to) => stream.Units.Skip(from).Take(to - from).Sum(u => u.Data.Length) * 8.0 * options.Fps / (to - from);
        var high = Bps(15, perPhase);
        var low = Bps(perPhase + 15, perPhase * 2);
        output.WriteLine($"before: {high:F0} bps, after SetBitrate(300000): {low:F0} bps");
        Assert.True(low < high * 0.4, $"{low} bps after lowering is not well below {high} bps");
        Assert.True(low < 300_000 * 1.5, $"{low} bps after SetBitrate(300000)");
        Assert.DoesNotContain(stream.Units.Skip(1), u => u.Keyframe); // the rate changed without a new IDR
    }

    [Fact]
    public void Live_profile_keeps_near_its_target_bitrate()
    {
        var options = VideoEncoderOptions.Live with { Width = 640, Height = 360, BitrateBps = 400_000 };
        using var encoder = VideoEncoder.Open(options);
        var stream = EncodedStream.Encode(encoder, new SyntheticVideo(640, 360), 60);
        var bps = stream.Units.Skip(10).Sum(u => u.Data.Length) * 8.0 * options.Fps / 50;
        output.WriteLine($"target 400000 bps, measured {bps:F0} bps");
        Assert.InRange(bps, 400_000 * 0.5, 400_000 * 1.25);
    }
}
