using Platform.Media;
using Platform.Media.Native;

namespace Platform.Media.Tests;

public sealed class FFmpegLibraryTests
{
    [Fact]
    public void Loads_ffmpeg_5_1_and_describes_the_versions()
    {
        FFmpegLibrary.EnsureLoaded();
        var description = FFmpegLibrary.Describe();
        Assert.Matches(@"libavutil 57\.\d+\.\d+, libswscale 6\.\d+\.\d+, libavcodec 59\.\d+\.\d+", description);
    }

    [Fact]
    public void Knows_which_encoders_this_libavcodec_has()
    {
        Assert.True(FFmpegLibrary.IsEncoderAvailable("libx264"));
        Assert.True(FFmpegLibrary.IsEncoderAvailable("mjpeg"));
        Assert.False(FFmpegLibrary.IsEncoderAvailable("h264_doesnotexist"));
    }

    [Fact]
    public void A_missing_library_names_the_debian_packages_and_versions()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-ffmpeg-here-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<MediaLibraryException>(() => new FFmpegNativeLoader(missing).Load());
        Assert.Contains("libavutil.so.57", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("libavcodec59 libavutil57 libswscale6", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install ffmpeg", error.Message, StringComparison.Ordinal);
        Assert.Contains("major 59", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_that_is_not_ffmpeg_is_refused()
    {
        using var folder = new TempFolder();
        var notFfmpeg = Directory.GetFiles("/usr/lib/x86_64-linux-gnu", "libz.so.1*").Concat(Directory.GetFiles("/lib/x86_64-linux-gnu", "libz.so.1*")).First();
        File.CreateSymbolicLink(folder.File("libavutil.so.57"), notFfmpeg);
        var error = Assert.Throws<MediaLibraryException>(() => new FFmpegNativeLoader(folder.Path).Load());
        Assert.Contains("avutil_version", error.Message, StringComparison.Ordinal);
        Assert.Contains("libavcodec59 libavutil57 libswscale6", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1280, 720)]
    [InlineData(1000, 562)]
    [InlineData(1922, 1080)]
    public void Frame_fields_at_the_header_offsets_agree_with_av_frame_get_buffer(int width, int height)
    {
        FFmpegLibrary.EnsureLoaded();
        var yuv420p = AvUtil.av_get_pix_fmt("yuv420p");
        Assert.Equal(0, yuv420p);
        var frame = AvFrame.Allocate(width, height, yuv420p);
        try
        {
            Assert.Equal(width, frame.Width);
            Assert.Equal(height, frame.Height);
            Assert.Equal(yuv420p, frame.Format);
            Assert.Equal(0, frame.PictType);
            Assert.Equal(long.MinValue, frame.Pts); // AV_NOPTS_VALUE from av_frame_alloc's defaults
            Assert.True(frame.Linesize(0) >= width && frame.Linesize(0) % 16 == 0, $"luma linesize {frame.Linesize(0)}");
            Assert.True(frame.Linesize(1) >= width / 2 && frame.Linesize(1) % 16 == 0, $"chroma linesize {frame.Linesize(1)}");
            Assert.Equal(frame.Linesize(1), frame.Linesize(2));
            Assert.Equal(0, frame.Linesize(3));
            unsafe
            {
                Assert.True(frame.Data(0) != null && frame.Data(1) != null && frame.Data(2) != null);
                Assert.True(frame.Data(3) == null);
                Assert.True(frame.Data(0) != frame.Data(1) && frame.Data(1) != frame.Data(2));
            }
        }
        finally
        {
            frame.Free();
        }
    }
}
