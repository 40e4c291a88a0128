using System.Globalization;
using Platform.Media;
using Platform.TestSupport;

namespace Platform.Media.Tests;

public sealed class JpegTests
{
    [Fact]
    public async Task Mjpeg_makes_one_jpeg_per_frame_that_ffprobe_decodes_at_the_right_size()
    {
        var options = VideoEncoderOptions.Live with { EncoderName = "mjpeg", Width = 640, Height = 360 };
        using var encoder = VideoEncoder.Open(options);
        Assert.Equal(VideoCodec.Jpeg, encoder.Codec);
        var stream = EncodedStream.Encode(encoder, new SyntheticVideo(640, 360), 3);

        Assert.Equal(3, stream.Units.Count);
        using var folder = new TempFolder();
        for (var i = 0; i < stream.Units.Count; i++)
        {
            var jpeg = stream.Units[i].Data;
            Assert.True(stream.Units[i].Keyframe);
            Assert.Equal(EncodedStream.PtsOf(i, options.Fps), stream.Units[i].PtsUs);
            Assert.Equal(new byte[] { 0xFF, 0xD8 }, jpeg[..2]);
            Assert.Equal(new byte[] { 0xFF, 0xD9 }, jpeg[^2..]);
            var path = folder.File($"frame{i}.jpg");
            await File.WriteAllBytesAsync(path, jpeg);
            var probe = await FFmpegTool.RunCheckedAsync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path]);
            Assert.Equal("mjpeg,640,360", probe.StandardOutput.Trim());
            var decode = await FFmpegTool.RunAsync("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"]);
            Assert.Equal(0, decode.ExitCode);
            Assert.Equal("", decode.StandardError.Trim());
        }
    }

    [Fact]
    public void Jpeg_quality_setting_changes_the_size()
    {
        long SizeAt(int quality)
        {
            using var encoder = VideoEncoder.Open(VideoEncoderOptions.Live with { EncoderName = "mjpeg", Width = 640, Height = 360, JpegQuality = quality });
            return EncodedStream.Encode(encoder, new SyntheticVideo(640, 360), 2).Units.Sum(u => (long)u.Data.Length);
        }
        var fine = SizeAt(2);
        var coarse = SizeAt(20);
        Assert.True(fine > coarse * 2, string.Create(CultureInfo.InvariantCulture, $"q2 {fine} bytes vs q20 {coarse} bytes"));
    }
}
