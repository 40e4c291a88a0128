using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Media;
using Platform.TestSupport;

namespace Platform.Media.Tests;

public sealed partial class LiveProfileTests(LiveEncodeFixture fixture) : IClassFixture<LiveEncodeFixture>
{
    [Fact]
    public void Each_frame_comes_out_as_one_access_unit_in_order_with_its_pts()
    {
        var units = fixture.Stream.Units;
        Assert.Equal(LiveEncodeFixture.FrameCount, units.Count);
        for (var i = 0; i < units.Count; i++) Assert.Equal(EncodedStream.PtsOf(i, fixture.Options.Fps), units[i].PtsUs);
    }

    [Fact]
    public void First_access_unit_and_every_forced_keyframe_is_sps_pps_idr_and_no_other_has_an_idr()
    {
        var units = fixture.Stream.Units;
        int[] expected = [0, .. LiveEncodeFixture.Forced];
        for (var i = 0; i < units.Count; i++)
        {
            var types = EncodedStream.Types(units[i].Data);
            if (expected.Contains(i))
            {
                Assert.True(AnnexB.IsKeyframe(units[i].Data), $"frame {i}: {string.Join(",", types)}");
                Assert.True(units[i].Keyframe, $"frame {i} not flagged as keyframe");
                var sps = types.IndexOf(NalUnitType.Sps);
                Assert.Equal(sps + 1, types.IndexOf(NalUnitType.Pps));
            }
            else
            {
                Assert.DoesNotContain(NalUnitType.Idr, types);
                Assert.False(units[i].Keyframe, $"frame {i} flagged as keyframe: {string.Join(",", types)}");
            }
        }
    }

    [Fact]
    public void Sps_says_constrained_baseline_at_the_configured_size()
    {
        Assert.True(AnnexB.TryFindSps(fixture.Stream.Units[0].Data, out var sps));
        Assert.True(sps.IsConstrainedBaseline, sps.CodecString);
        Assert.Equal(fixture.Options.Width, sps.Width);
        Assert.Equal(fixture.Options.Height, sps.Height);
        Assert.StartsWith("avc1.42C0", sps.CodecString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ffprobe_reads_h264_at_the_configured_size_and_counts_every_frame_without_b_frames()
    {
        var result = await FFmpegTool.RunCheckedAsync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height,profile,has_b_frames,nb_read_frames", "-of", "default=nw=1", fixture.H264Path]);
        var fields = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("h264", fields["codec_name"]);
        Assert.Equal(fixture.Options.Width.ToString(CultureInfo.InvariantCulture), fields["width"]);
        Assert.Equal(fixture.Options.Height.ToString(CultureInfo.InvariantCulture), fields["height"]);
        Assert.Equal("Constrained Baseline", fields["profile"]);
        Assert.Equal("0", fields["has_b_frames"]);
        Assert.Equal(LiveEncodeFixture.FrameCount.ToString(CultureInfo.InvariantCulture), fields["nb_read_frames"]);

        var frames = await FFmpegTool.RunCheckedAsync("ffprobe", ["-v", "error", "-show_entries", "frame=pict_type", "-of", "csv=p=0", fixture.H264Path]);
        var types = frames.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.TrimEnd(',')).ToArray();
        Assert.Equal(LiveEncodeFixture.FrameCount, types.Length);
        Assert.DoesNotContain("B", types);
        Assert.Equal("I", types[0]);
    }

    [Fact]
    public async Task Decoded_frames_match_the_source_at_35_dB_psnr_or_better()
    {
        using var folder = new TempFolder();
        var decoded = folder.File("decoded.yuv");
        // Decode frame for frame (no rate conversion), then compare two raw streams so that frames pair by index.
        await FFmpegTool.RunCheckedAsync("ffmpeg", ["-v", "error", "-i", fixture.H264Path, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "yuv420p", decoded]);
        Assert.Equal((long)fixture.Video.FrameSize * LiveEncodeFixture.FrameCount, new FileInfo(decoded).Length);

        var size = $"{fixture.Options.Width}x{fixture.Options.Height}";
        var result = await FFmpegTool.RunCheckedAsync("ffmpeg", ["-hide_banner", "-nostats",
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", size, "-i", fixture.SourcePath,
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", size, "-i", decoded,
            "-lavfi", "[1:v][0:v]psnr", "-f", "null", "-"]);
        var match = AveragePsnr().Match(result.StandardError);
        Assert.True(match.Success, result.StandardError);
        var psnr = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(psnr >= 35, $"average PSNR {psnr} dB < 35 dB");
    }

    [GeneratedRegex(@"average:([0-9.]+|inf)")]
    private static partial Regex AveragePsnr();
}
