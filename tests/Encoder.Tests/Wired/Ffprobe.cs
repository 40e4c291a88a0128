using System.Globalization;
using System.Text.Json;
using Platform.TestSupport;

namespace Platform.Encoder.Tests.Wired;

/// <summary>What ffprobe (a decoder nobody here wrote) reads from a file: codec, size and the frames it decoded.</summary>
internal sealed record ProbeResult(string CodecName, int Width, int Height, int FramesDecoded);

internal static class Ffprobe
{
    /// <summary>Writes the access units one after another (a raw .h264 elementary stream, or one .jpg) and probes the file.</summary>
    public static async Task<ProbeResult> ProbeAsync(IEnumerable<byte[]> units, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"platform-encoder-{Guid.NewGuid():N}.{extension}");
        try
        {
            await using (var file = File.Create(path))
            {
                foreach (var unit in units) await file.WriteAsync(unit);
            }
            return await ProbeFileAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static async Task<ProbeResult> ProbeFileAsync(string path)
    {
        var result = await FFmpegTool.RunCheckedAsync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "json", path], TimeSpan.FromSeconds(30));
        using var json = JsonDocument.Parse(result.StandardOutput);
        var stream = json.RootElement.GetProperty("streams")[0];
        return new ProbeResult(
            stream.GetProperty("codec_name").GetString()!,
            stream.GetProperty("width").GetInt32(),
            stream.GetProperty("height").GetInt32(),
            int.Parse(stream.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture));
    }
}

/// <summary>PSNR between the raw frames that went in and what ffmpeg decodes from what the encoder published.</summary>
internal static class Psnr
{
    /// <summary>
    /// Decodes the access units with ffmpeg into <paramref name="pixelFormat"/> (ffmpeg's name, the source's format) and
    /// compares frame by frame (alpha bytes of bgra left out). Returns the PSNR in dB of the mean squared error over all frames.
    /// </summary>
    public static async Task<double> AverageAsync(IEnumerable<byte[]> units, IReadOnlyList<byte[]> sourceFrames, string pixelFormat)
    {
        var encoded = Path.Combine(Path.GetTempPath(), $"platform-encoder-{Guid.NewGuid():N}.h264");
        var decoded = Path.ChangeExtension(encoded, ".raw");
        try
        {
            await File.WriteAllBytesAsync(encoded, units.SelectMany(u => u).ToArray());
            await FFmpegTool.RunCheckedAsync("ffmpeg", ["-v", "error", "-i", encoded, "-f", "rawvideo", "-pix_fmt", pixelFormat, "-y", decoded], TimeSpan.FromSeconds(60));
            var frames = await File.ReadAllBytesAsync(decoded);
            var source = sourceFrames.SelectMany(f => f).ToArray();
            if (frames.Length != source.Length) throw new InvalidOperationException($"decoded {frames.Length} bytes, the source has {source.Length}");
            var alpha = pixelFormat == "bgra";
            double sum = 0;
            long count = 0;
            for (var i = 0; i < source.Length; i++)
            {
                if (alpha && i % 4 == 3) continue;
                var d = frames[i] - source[i];
                sum += d * d;
                count++;
            }
            var mse = sum / count;
            return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
        }
        finally
        {
            File.Delete(encoded);
            File.Delete(decoded);
        }
    }
}
