using Microsoft.Extensions.Logging;
using Platform.Media;
using Platform.TestSupport;

namespace Platform.Media.Tests;

public sealed class VideoEncoderSelectorTests
{
    private static readonly VideoEncoderOptions Small = VideoEncoderOptions.Live with { Width = 320, Height = 240 };

    [Fact]
    public void An_unknown_h264_encoder_falls_back_to_mjpeg_with_exactly_one_warning_naming_why()
    {
        var logger = new CollectingLogger();
        using var encoder = VideoEncoderSelector.Open(Small, ["h264_doesnotexist"], logger);
        Assert.Equal("mjpeg", encoder.EncoderName);
        Assert.Equal(VideoCodec.Jpeg, encoder.Codec);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("JPEG", entry.Message, StringComparison.Ordinal);
        Assert.Contains("h264_doesnotexist: not in this libavcodec", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_h264_encoder_that_will_not_open_falls_back_with_ffmpegs_reason()
    {
        var logger = new CollectingLogger();
        using var encoder = VideoEncoderSelector.Open(Small with { Preset = "warp-speed" }, ["libx264"], logger);
        Assert.Equal(VideoCodec.Jpeg, encoder.Codec);
        var entry = Assert.Single(logger.Entries);
        Assert.Contains("libx264", entry.Message, StringComparison.Ordinal);
        Assert.Contains("warp-speed", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_order_opens_an_h264_encoder_without_a_warning()
    {
        var logger = new CollectingLogger();
        using var encoder = VideoEncoderSelector.Open(Small, VideoEncoderSelector.DefaultH264Encoders, logger);
        Assert.Equal(VideoCodec.H264, encoder.Codec);
        Assert.Contains(encoder.EncoderName, VideoEncoderSelector.DefaultH264Encoders);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void Forcing_jpeg_gives_mjpeg_and_says_so_once()
    {
        var logger = new CollectingLogger();
        using var encoder = VideoEncoderSelector.Open(Small, VideoEncoderSelector.DefaultH264Encoders, logger, forceJpeg: true);
        Assert.Equal(VideoCodec.Jpeg, encoder.Codec);
        var entry = Assert.Single(logger.Entries);
        Assert.Contains("forceJpeg", entry.Message, StringComparison.Ordinal);
    }
}
