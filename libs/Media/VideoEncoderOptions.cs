namespace Platform.Media;

/// <summary>
/// Settings of one encoder session. Defaults are the live profile of ARCHITECTURE.md section 9;
/// <see cref="Record"/> holds the record profile's defaults.
/// </summary>
public sealed record VideoEncoderOptions
{
    /// <summary>The live profile's defaults: 1280x720 at 30 fps, 4 Mbps, libx264.</summary>
    public static VideoEncoderOptions Live { get; } = new();

    /// <summary>The record profile's defaults: 15 fps, 1 Mbps, an IDR every 2 s.</summary>
    public static VideoEncoderOptions Record { get; } = new() { Profile = EncoderProfile.Record, Fps = 15, BitrateBps = 1_000_000 };

    public int Width { get; init; } = 1280;

    public int Height { get; init; } = 720;

    public int Fps { get; init; } = 30;

    public EncoderProfile Profile { get; init; } = EncoderProfile.Live;

    public long BitrateBps { get; init; } = 4_000_000;

    /// <summary>libavcodec encoder name: "libx264", "h264_nvenc" or "mjpeg".</summary>
    public string EncoderName { get; init; } = "libx264";

    public int QpMin { get; init; } = 18;

    public int QpMax { get; init; } = 40;

    /// <summary>
    /// 0 means two seconds' worth of frames. Live: the intra-refresh period (there is no periodic IDR).
    /// Record: the IDR interval.
    /// </summary>
    public int KeyframeIntervalFrames { get; init; }

    /// <summary>JPEG quantiser scale for mjpeg, 2 (best) to 31.</summary>
    public int JpegQuality { get; init; } = 5;

    /// <summary>Encoder threads; 0 lets the encoder choose (x264: 1.5 per core, as slices in the live profile).</summary>
    public int Threads { get; init; }

    /// <summary>libx264 threading: slices (default, one-in-one-out) or frames (throughput, a few frames of delay).</summary>
    public EncoderThreading Threading { get; init; } = EncoderThreading.Slices;

    /// <summary>Encoder preset; null picks ultrafast (live) or veryfast (record) for libx264, p4 for h264_nvenc.</summary>
    public string? Preset { get; init; }

    /// <summary>The keyframe (record) or intra-refresh (live) interval in frames.</summary>
    public int EffectiveKeyframeInterval => KeyframeIntervalFrames > 0 ? KeyframeIntervalFrames : Fps * 2;

    /// <summary>Bytes of one tightly packed I420 frame.</summary>
    public int I420FrameSize => Width * Height * 3 / 2;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Width <= 0 || Height <= 0 || Width % 2 != 0 || Height % 2 != 0 || Width > 8192 || Height > 8192)
            throw new ArgumentException($"Width and Height must be even and between 2 and 8192, got {Width}x{Height}.");
        if (Fps is <= 0 or > 240) throw new ArgumentException($"Fps must be between 1 and 240, got {Fps}.");
        if (BitrateBps is < 10_000 or > 1_000_000_000) throw new ArgumentException($"BitrateBps must be between 10 kbps and 1 Gbps, got {BitrateBps}.");
        if (QpMin < 0 || QpMax > 51 || QpMin > QpMax) throw new ArgumentException($"QpMin..QpMax must lie in 0..51 with QpMin <= QpMax, got {QpMin}..{QpMax}.");
        if (KeyframeIntervalFrames < 0) throw new ArgumentException($"KeyframeIntervalFrames must be 0 (two seconds) or positive, got {KeyframeIntervalFrames}.");
        if (JpegQuality is < 2 or > 31) throw new ArgumentException($"JpegQuality (mjpeg qscale) must be between 2 and 31, got {JpegQuality}.");
        if (Threads is < 0 or > 64) throw new ArgumentException($"Threads must be between 0 (auto) and 64, got {Threads}.");
        if (string.IsNullOrWhiteSpace(EncoderName)) throw new ArgumentException("EncoderName must name a libavcodec encoder, e.g. libx264.");
    }
}
