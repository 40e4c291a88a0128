namespace Platform.Contracts.Wire;

/// <summary>The flags field of <see cref="VideoFrameHeader"/>.</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after the header's flags field.")]
public enum VideoFrameFlags : ushort
{
    None = 0,

    /// <summary>Decoding can start here (H.264: SPS, PPS, IDR; every JPEG).</summary>
    Keyframe = 1,
}
