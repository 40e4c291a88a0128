namespace Platform.Encoder.Hosting;

/// <summary>Bound from <c>Encoder</c>. Defaults from ARCHITECTURE.md sections 7 and 9.</summary>
public sealed class EncoderOptions
{
    public static readonly IReadOnlyList<string> DefaultH264Encoders = ["h264_nvenc", "libx264"];

    /// <summary>
    /// libavcodec H.264 encoders to try, in order; the first that opens wins, mjpeg when none does.
    /// Null keeps <see cref="DefaultH264Encoders"/> (the configuration binder would append to a pre-filled list).
    /// </summary>
    public IReadOnlyList<string>? H264Encoders { get; set; }

    /// <summary>Encode JPEG (mjpeg) even when H.264 could be had.</summary>
    public bool ForceJpeg { get; set; }

    /// <summary>Frame rate the live session is tuned for (rate control and the one-frame VBV); set it to the source's rate.</summary>
    public int Fps { get; set; } = 30;

    /// <summary>Live profile target bitrate at the start of every stream.</summary>
    public long LiveBitrateBps { get; set; } = 4_000_000;

    /// <summary>Bitrate requests above this are clamped to it (a client's estimate never drives the encoder past it).</summary>
    public long BitrateCeilingBps { get; set; } = 8_000_000;

    /// <summary>Bitrate requests below this are clamped to it.</summary>
    public long BitrateFloorBps { get; set; } = 100_000;

    /// <summary>At most one forced keyframe per this interval, per stream.</summary>
    public int KeyframeMinIntervalMs { get; set; } = 500;

    /// <summary>No forced keyframe within this long after any keyframe (natural ones count).</summary>
    public int KeyframeQuietAfterKeyframeMs { get; set; } = 200;

    /// <summary>How long an accepted keyframe request waits for the frame that carries it before replying with the expected id.</summary>
    public int KeyframeReplyTimeoutMs { get; set; } = 1_000;

    /// <summary>mjpeg quantiser scale, 2 (best, largest) to 31 (smallest).</summary>
    public int JpegQuality { get; set; } = 5;

    /// <summary>Frames waiting between the gRPC reader and the encode loop; when full the oldest is dropped (newest wins).</summary>
    public int HandoffCapacity { get; set; } = 2;

    /// <summary>Largest RawFrame accepted over gRPC (1920x1080 BGRA is about 8 MiB).</summary>
    public int MaxFrameMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Window over which GetStats measures fps and output bitrate.</summary>
    public int StatsWindowMs { get; set; } = 2_000;

    /// <summary>Recent frames over which GetStats computes encode latency percentiles.</summary>
    public int LatencyWindowFrames { get; set; } = 300;

    public RecordProfileOptions Record { get; set; } = new();

    public IReadOnlyList<string> EffectiveH264Encoders => H264Encoders is { Count: > 0 } list ? list : DefaultH264Encoders;

    /// <summary>Clamps a requested bitrate into [floor, ceiling].</summary>
    public long ClampBitrate(long requestedBps) => Math.Clamp(requestedBps, BitrateFloorBps, Math.Max(BitrateFloorBps, BitrateCeilingBps));
}

/// <summary>Bound from <c>Encoder:Record</c>: the recorder's profile (section 9).</summary>
public sealed class RecordProfileOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Frames are taken from the input by pts so that 30 or 60 fps in gives this rate out.</summary>
    public int Fps { get; set; } = 15;

    public long BitrateBps { get; set; } = 1_000_000;

    /// <summary>A keyframe (SPS, PPS, IDR) this often, so recordings can be seeked.</summary>
    public double KeyframeIntervalSeconds { get; set; } = 2;
}
