using Platform.Media;
using Platform.TestSupport;

namespace Platform.Media.Tests;

public sealed class RecordProfileTests
{
    [Fact]
    public void Record_profile_has_an_sps_pps_idr_keyframe_every_two_seconds_and_nothing_else()
    {
        var options = VideoEncoderOptions.Record with { Width = 640, Height = 360 };
        Assert.Equal(15, options.Fps);
        Assert.Equal(1_000_000, options.BitrateBps);
        using var encoder = VideoEncoder.Open(options);
        var stream = EncodedStream.Encode(encoder, new SyntheticVideo(options.Width, options.Height), 95);

        Assert.Equal(95, stream.Units.Count);
        var keyframes = stream.Units.Select((u, i) => (u, i)).Where(x => AnnexB.Contains(x.u.Data, NalUnitType.Idr)).Select(x => x.i).ToArray();
        Assert.Equal([0, 30, 60, 90], keyframes);
        foreach (var index in keyframes)
        {
            Assert.True(AnnexB.IsKeyframe(stream.Units[index].Data));
            Assert.True(stream.Units[index].Keyframe);
        }
        Assert.Equal(4, stream.Units.Count(u => u.Keyframe));
        Assert.True(AnnexB.TryFindSps(stream.Units[0].Data, out var sps));
        Assert.Equal((640, 360), (sps.Width, sps.Height));
    }
}
