using System.Globalization;
using Platform.Media;
using Platform.TestSupport;

namespace Platform.Media.Tests;

/// <summary>Our SPS parser against streams the ffmpeg CLI makes and ffprobe describes (sizes with cropping, high profiles).</summary>
public sealed class SpsAgainstFfprobeTests
{
    // veryfast uses CABAC and 8x8 transforms, so x264 signals the profile asked for (ultrafast would fit baseline).
    [Theory]
    [InlineData(1920, 1080, "yuv420p", "baseline", 66)]
    [InlineData(1922, 1082, "yuv420p", "main", 77)]
    [InlineData(176, 144, "yuv420p", "high", 100)]
    [InlineData(350, 202, "yuv444p", "high444", 244)]
    public async Task Profile_level_and_size_match_what_ffprobe_reads(int width, int height, string pixelFormat, string profile, int profileIdc)
    {
        using var folder = new TempFolder();
        var path = folder.File("clip.h264");
        await FFmpegTool.RunCheckedAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=10", "-frames:v", "2",
            "-pix_fmt", pixelFormat, "-c:v", "libx264", "-preset", profile == "baseline" ? "ultrafast" : "veryfast", "-profile:v", profile, "-f", "h264", path]);
        Assert.True(AnnexB.TryFindSps(await File.ReadAllBytesAsync(path), out var sps));

        var probe = await FFmpegTool.RunCheckedAsync("ffprobe", ["-v", "error", "-show_entries", "stream=width,height,level", "-of", "csv=p=0", path]);
        var fields = probe.StandardOutput.Trim().Split(',').Select(f => int.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(profileIdc, sps.ProfileIdc);
        Assert.Equal((fields[0], fields[1], fields[2]), (sps.Width, sps.Height, (int)sps.LevelIdc));
        Assert.Equal((width, height), (sps.Width, sps.Height));
    }
}
