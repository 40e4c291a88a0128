using Platform.Media;
using Platform.TestSupport;

namespace Platform.Media.Tests;

public sealed class EncoderSessionTests
{
    private static readonly VideoEncoderOptions Small = VideoEncoderOptions.Live with { Width = 320, Height = 240, BitrateBps = 500_000 };

    [Theory]
    [InlineData(0)]
    [InlineData(320 * 240)]
    [InlineData(320 * 240 * 3 / 2 - 1)]
    [InlineData(320 * 240 * 3 / 2 + 1)]
    [InlineData(320 * 240 * 4)]
    public void A_frame_of_the_wrong_size_is_an_argument_exception_and_the_session_goes_on(int size)
    {
        using var encoder = VideoEncoder.Open(Small);
        var output = new List<EncodedAccessUnit>();
        var error = Assert.Throws<ArgumentException>(() => encoder.Encode(new byte[size], 0, false, output));
        Assert.Contains("320x240", error.Message, StringComparison.Ordinal);
        Assert.Empty(output);

        encoder.Encode(new SyntheticVideo(320, 240).Render(0), 0, false, output);
        var unit = Assert.Single(output);
        Assert.True(unit.Keyframe);
        unit.Dispose();
    }

    [Fact]
    public void Invalid_settings_are_refused_before_any_encoder_opens()
    {
        Assert.Throws<ArgumentException>(() => VideoEncoder.Open(Small with { Width = 321 }));
        Assert.Throws<ArgumentException>(() => VideoEncoder.Open(Small with { Fps = 0 }));
        Assert.Throws<ArgumentException>(() => VideoEncoder.Open(Small with { QpMin = 41 }));
        Assert.Throws<ArgumentException>(() => VideoEncoder.Open(Small with { BitrateBps = 0 }));
    }

    [Fact]
    public void An_unknown_encoder_and_a_refused_option_say_which_encoder_and_why()
    {
        var absent = Assert.Throws<MediaException>(() => VideoEncoder.Open(Small with { EncoderName = "h264_doesnotexist" }));
        Assert.Contains("h264_doesnotexist", absent.Message, StringComparison.Ordinal);

        var unsupported = Assert.Throws<MediaException>(() => VideoEncoder.Open(Small with { EncoderName = "libvpx" }));
        Assert.Contains("not supported", unsupported.Message, StringComparison.Ordinal);

        var badPreset = Assert.Throws<MediaException>(() => VideoEncoder.Open(Small with { Preset = "warp-speed" }));
        Assert.Contains("libx264", badPreset.Message, StringComparison.Ordinal);
        Assert.Contains("warp-speed", badPreset.Message, StringComparison.Ordinal); // FFmpeg's own log line, captured
    }

    [Fact]
    public void H264_nvenc_opens_only_where_a_gpu_is_and_fails_cleanly_elsewhere()
    {
        if (!FFmpegLibrary.IsEncoderAvailable("h264_nvenc"))
        {
            Assert.Throws<MediaException>(() => VideoEncoder.Open(Small with { EncoderName = "h264_nvenc" }));
            return;
        }
        VideoEncoder? encoder = null;
        try
        {
            encoder = VideoEncoder.Open(Small with { EncoderName = "h264_nvenc" });
        }
        catch (MediaException error)
        {
            Assert.Contains("h264_nvenc", error.Message, StringComparison.Ordinal);
            Assert.Contains("FFmpeg said:", error.Message, StringComparison.Ordinal);
            return;
        }
        using (encoder)
        {
            var stream = EncodedStream.Encode(encoder, new SyntheticVideo(320, 240), 10, new HashSet<int> { 5 });
            Assert.True(AnnexB.IsKeyframe(stream.Units[0].Data));
            Assert.Contains(stream.Units, u => u.Keyframe && u.PtsUs == EncodedStream.PtsOf(5, encoder.Fps) && AnnexB.IsKeyframe(u.Data));
        }
    }

    [Fact]
    public void Frame_threads_delay_output_but_flush_returns_every_frame_in_order_with_its_pts()
    {
        var options = Small with { Threading = EncoderThreading.Frames, Threads = 3 };
        using var encoder = VideoEncoder.Open(options);
        var video = new SyntheticVideo(320, 240);
        var output = new List<EncodedAccessUnit>();
        encoder.Encode(video.Render(0), EncodedStream.PtsOf(0, options.Fps), false, output);
        Assert.Empty(output); // frame threads hold the first frames back

        using var again = VideoEncoder.Open(options);
        var stream = EncodedStream.Encode(again, video, 20, new HashSet<int> { 12 });
        Assert.Equal(20, stream.Units.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => EncodedStream.PtsOf(i, options.Fps)), stream.Units.Select(u => u.PtsUs));
        Assert.True(AnnexB.IsKeyframe(stream.Units[12].Data));
        Assert.Equal([0, 12], stream.Units.Select((u, i) => (u, i)).Where(x => x.u.Keyframe).Select(x => x.i));
    }

    [Fact]
    public void After_flush_the_session_takes_no_more_frames_and_after_dispose_nothing()
    {
        var encoder = VideoEncoder.Open(Small);
        var output = new List<EncodedAccessUnit>();
        var frame = new SyntheticVideo(320, 240).Render(0);
        encoder.Encode(frame, 0, false, output);
        encoder.Flush(output);
        Assert.Throws<InvalidOperationException>(() => encoder.Encode(frame, 1, false, output));
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(frame, 2, false, output));
        Assert.Throws<ObjectDisposedException>(() => encoder.SetBitrate(100_000));
        foreach (var unit in output) unit.Dispose();
        Assert.Throws<ObjectDisposedException>(() => output[0].Data);
    }
}
