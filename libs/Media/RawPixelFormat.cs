namespace Platform.Media;

/// <summary>Packed or semi-planar inputs <see cref="FrameConverter"/> turns into I420.</summary>
public enum RawPixelFormat
{
    /// <summary>Y plane, then interleaved U/V at half resolution.</summary>
    Nv12,

    /// <summary>3 bytes per pixel: R, G, B.</summary>
    Rgb24,

    /// <summary>4 bytes per pixel: B, G, R, A (little-endian ARGB32, what most 2D libraries draw into).</summary>
    Bgra,
}
