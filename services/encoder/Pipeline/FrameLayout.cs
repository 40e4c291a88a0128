using Platform.Contracts.Encoder.V1;

namespace Platform.Encoder.Pipeline;

/// <summary>Checks a RawFrame's size and format before it is queued, so a bad frame is skipped without reaching libavcodec.</summary>
public static class FrameLayout
{
    /// <summary>Largest width or height accepted (H.264 level 6.2 tops out at 8192).</summary>
    public const int MaxDimension = 8192;

    /// <summary>Bytes a tightly packed frame of this format and size has; 0 for an unknown format.</summary>
    public static long ExpectedBytes(PixelFormat format, int width, int height)
    {
        long luma = (long)width * height;
        long chroma = (long)((width + 1) / 2) * ((height + 1) / 2);
        return format switch
        {
            PixelFormat.I420 or PixelFormat.Nv12 => luma + 2 * chroma,
            PixelFormat.Rgb24 => luma * 3,
            PixelFormat.Bgra => luma * 4,
            _ => 0,
        };
    }

    /// <summary>Null when the frame can be encoded, else what is wrong with it.</summary>
    public static string? Problem(RawFrame frame)
    {
        if (frame.PixelFormat == PixelFormat.Unspecified || !Enum.IsDefined(frame.PixelFormat))
            return $"pixel format {frame.PixelFormat} is not one of I420, NV12, RGB24, BGRA";
        if (frame.Width == 0 || frame.Height == 0 || frame.Width > MaxDimension || frame.Height > MaxDimension)
            return $"size {frame.Width}x{frame.Height} is outside 1..{MaxDimension}";
        if (frame.Width % 2 != 0 || frame.Height % 2 != 0)
            return $"size {frame.Width}x{frame.Height} is odd; 4:2:0 encoding needs even width and height";
        var expected = ExpectedBytes(frame.PixelFormat, (int)frame.Width, (int)frame.Height);
        return frame.Data.Length == expected
            ? null
            : $"{frame.Data.Length} bytes of data, but {frame.PixelFormat} {frame.Width}x{frame.Height} needs {expected}";
    }
}
