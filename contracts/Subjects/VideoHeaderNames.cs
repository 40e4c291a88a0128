namespace Platform.Contracts.Subjects;

/// <summary>
/// NATS headers of <c>video.&lt;stream&gt;.live</c> / <c>.record</c> messages (ARCHITECTURE.md section 5).
/// The payload is one Annex-B access unit (or one JPEG); these headers carry what a consumer needs without parsing it.
/// </summary>
public static class VideoHeaderNames
{
    /// <summary>Decimal frame id, increasing by one per rendered frame (a gap means frames were dropped upstream).</summary>
    public const string FrameId = "Frame-Id";

    /// <summary>Presentation time in microseconds, decimal.</summary>
    public const string Pts = "Pts";

    /// <summary><see cref="VideoCodecNames.H264"/> or <see cref="VideoCodecNames.Jpeg"/>.</summary>
    public const string Codec = "Codec";

    /// <summary><c>true</c> or <c>false</c>: an H.264 keyframe is SPS, PPS, IDR; every JPEG is a keyframe.</summary>
    public const string Keyframe = "Keyframe";

    /// <summary>Wall clock (Unix microseconds, decimal) when the source captured or rendered the frame.</summary>
    public const string CaptureTs = "Capture-Ts";
}

/// <summary>Values of the <see cref="VideoHeaderNames.Codec"/> header.</summary>
public static class VideoCodecNames
{
    public const string H264 = "h264";
    public const string Jpeg = "jpeg";
}
