namespace Platform.Media;

/// <summary>What an encoder produces: H.264 Annex-B access units, or one JPEG per frame.</summary>
public enum VideoCodec
{
    H264,
    Jpeg,
}
