using System.Diagnostics;

namespace Platform.TestSupport;

/// <summary>
/// Real H.264 made by ffmpeg/libx264 the way the live profile makes it (1280x720 testsrc2, ultrafast, zerolatency,
/// no B-frames, SPS/PPS repeated on every keyframe, a keyframe every second), split into access units at the
/// access unit delimiters ffmpeg inserts. Made once per process and shared.
/// </summary>
public static class H264TestClip
{
    public const int Width = 1280;
    public const int Height = 720;
    public const int FramesPerSecond = 30;
    public const int Seconds = 4;

    private static readonly Lazy<Task<IReadOnlyList<EncodedClipFrame>>> Clip = new(MakeAsync);

    public static Task<IReadOnlyList<EncodedClipFrame>> AccessUnitsAsync() => Clip.Value;

    private static async Task<IReadOnlyList<EncodedClipFrame>> MakeAsync()
    {
        var psi = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate={FramesPerSecond}",
            "-t", Seconds.ToString(), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0",
            "-x264-params", $"repeat-headers=1:keyint={FramesPerSecond}", "-bsf:v", "h264_metadata=aud=insert", "-f", "h264", "-",
        }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException("ffmpeg did not start: run `bash eng/install-deps.sh` (apt-get install ffmpeg).");
        using var stream = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stream);
        var errors = process.StandardError.ReadToEndAsync();
        await Task.WhenAll(copy, errors, process.WaitForExitAsync());
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed ({process.ExitCode}): {await errors}");
        var units = Split(stream.ToArray());
        if (units.Count < FramesPerSecond * Seconds || !units[0].Keyframe)
            throw new InvalidOperationException($"ffmpeg made {units.Count} access units; expected {FramesPerSecond * Seconds}, the first a keyframe");
        return units;
    }

    /// <summary>Splits an Annex-B stream at its access unit delimiters (NAL type 9).</summary>
    public static List<EncodedClipFrame> Split(byte[] stream)
    {
        var starts = new List<int>();
        foreach (var (type, at) in NalUnits(stream))
        {
            if (type == 9) starts.Add(at);
        }
        var units = new List<EncodedClipFrame>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var end = i + 1 < starts.Count ? starts[i + 1] : stream.Length;
            var data = stream[starts[i]..end];
            units.Add(new EncodedClipFrame(data, NalUnits(data).Any(n => n.Type == 5)));
        }
        return units;
    }

    /// <summary>NAL unit types with the offset of their start code (4-byte or 3-byte).</summary>
    private static IEnumerable<(int Type, int At)> NalUnits(byte[] data)
    {
        for (var i = 0; i + 3 < data.Length; i++)
        {
            if (data[i] != 0 || data[i + 1] != 0) continue;
            if (data[i + 2] == 1)
            {
                yield return (data[i + 3] & 0x1f, i > 0 && data[i - 1] == 0 ? i - 1 : i);
                i += 2;
            }
        }
    }
}
