namespace Platform.Contracts.Wire;

/// <summary>The codec field of <see cref="VideoFrameHeader"/> (seed 000's numbering).</summary>
public enum VideoCodecId : ushort
{
    H264 = 1,
    Hevc = 2,
    Jpeg = 3,
}
