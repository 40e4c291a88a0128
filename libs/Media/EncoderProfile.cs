namespace Platform.Media;

/// <summary>Encoder profiles of ARCHITECTURE.md section 9.</summary>
public enum EncoderProfile
{
    /// <summary>Zero latency, no B-frames, constrained baseline, intra refresh and no periodic IDR, QP 18-40, VBV of one frame.</summary>
    Live,

    /// <summary>15 fps, about 1 Mbps, an IDR every 2 s, no B-frames.</summary>
    Record,
}
