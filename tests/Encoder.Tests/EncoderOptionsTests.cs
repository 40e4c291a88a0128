using Microsoft.Extensions.Configuration;
using Platform.Encoder.Hosting;
using Platform.Encoder.Pipeline;

namespace Platform.Encoder.Tests;

public sealed class EncoderOptionsTests
{
    [Fact]
    public void Defaults_follow_the_architecture()
    {
        var o = new EncoderOptions();
        Assert.Equal(["h264_nvenc", "libx264"], o.EffectiveH264Encoders);
        Assert.Equal((500, 200), (o.KeyframeMinIntervalMs, o.KeyframeQuietAfterKeyframeMs));
        Assert.Equal((15, 1_000_000L, 2.0), (o.Record.Fps, o.Record.BitrateBps, o.Record.KeyframeIntervalSeconds));
        Assert.False(o.ForceJpeg);
    }

    [Fact]
    public void A_configured_encoder_list_replaces_the_default_instead_of_appending_to_it()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Encoder:H264Encoders:0"] = "libx264",
            ["Encoder:BitrateCeilingBps"] = "6000000",
            ["Encoder:Record:Fps"] = "10",
        }).Build();
        var o = config.GetSection("Encoder").Get<EncoderOptions>()!;
        Assert.Equal(["libx264"], o.EffectiveH264Encoders);
        Assert.Equal(6_000_000, o.BitrateCeilingBps);
        Assert.Equal(10, o.Record.Fps);
    }

    [Theory]
    [InlineData(50_000_000, 8_000_000)]
    [InlineData(8_000_000, 8_000_000)]
    [InlineData(2_000_000, 2_000_000)]
    [InlineData(10, 100_000)]
    [InlineData(-5, 100_000)]
    public void Bitrates_are_clamped_into_floor_and_ceiling(long requested, long applied)
        => Assert.Equal(applied, new EncoderOptions().ClampBitrate(requested));

    [Theory]
    [InlineData("main", true)]
    [InlineData("cam-2_left", true)]
    [InlineData("", false)]
    [InlineData("a.b", false)]
    [InlineData("a*", false)]
    [InlineData("a b", false)]
    [InlineData(">", false)]
    public void Stream_names_must_be_one_subject_token(string name, bool valid)
        => Assert.Equal(valid, EncoderStreams.NameProblem(name) is null);
}
