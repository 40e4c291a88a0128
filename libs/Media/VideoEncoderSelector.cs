using Microsoft.Extensions.Logging;

namespace Platform.Media;

/// <summary>
/// Encoder choice: the H.264 encoders in the order given (each only if libavcodec has it and it opens), else mjpeg.
/// Falling back to JPEG logs exactly one warning naming why each H.264 encoder was passed over.
/// </summary>
public static partial class VideoEncoderSelector
{
    /// <summary>The default order: NVENC where a GPU makes it open, else libx264.</summary>
    public static IReadOnlyList<string> DefaultH264Encoders { get; } = ["h264_nvenc", "libx264"];

    public static VideoEncoder Open(VideoEncoderOptions options, IReadOnlyList<string> h264Encoders, ILogger logger, bool forceJpeg = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(h264Encoders);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        FFmpegLibrary.EnsureLoaded();

        var reasons = new List<string>();
        if (forceJpeg) reasons.Add("JPEG is configured (forceJpeg)");
        else
        {
            foreach (var name in h264Encoders)
            {
                if (!FFmpegLibrary.IsEncoderAvailable(name))
                {
                    reasons.Add($"{name}: not in this libavcodec");
                    continue;
                }
                try
                {
                    var encoder = VideoEncoder.Open(options with { EncoderName = name });
                    if (encoder.Codec == VideoCodec.H264) return encoder;
                    encoder.Dispose();
                    reasons.Add($"{name}: not an H.264 encoder");
                }
                catch (MediaException ex)
                {
                    reasons.Add($"{name}: {ex.Message}");
                }
            }
            if (h264Encoders.Count == 0) reasons.Add("no H.264 encoder configured");
        }

        var jpeg = VideoEncoder.Open(options with { EncoderName = "mjpeg" });
        LogJpegFallback(logger, options.Width, options.Height, options.Fps, string.Join("; ", reasons));
        return jpeg;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Video falls back to JPEG (mjpeg, {Width}x{Height}@{Fps}) because {Reasons}")]
    private static partial void LogJpegFallback(ILogger logger, int width, int height, int fps, string reasons);
}
