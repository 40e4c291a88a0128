using Google.Protobuf;
using Platform.Contracts.Encoder.V1;
using Platform.TestSupport;

namespace Platform.Encoder.Tests.Wired;

/// <summary>Frames as a source sends them: TestSupport's synthetic video (moving boxes, scrolling texture, HUD-like glyphs).</summary>
internal static class TestFrames
{
    public const long FrameIntervalUs30 = 33_333;

    public static RawFrame I420(string stream, ulong frameId, int width = 320, int height = 240, long? ptsUs = null)
        => Frame(stream, frameId, width, height, PixelFormat.I420, new SyntheticVideo(width, height).Render((int)frameId), ptsUs);

    public static RawFrame Bgra(string stream, ulong frameId, int width, int height)
    {
        var data = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            data[i * 4] = (byte)(i + (int)frameId);
            data[i * 4 + 1] = (byte)(i / width);
            data[i * 4 + 2] = 200;
            data[i * 4 + 3] = 255;
        }
        return Frame(stream, frameId, width, height, PixelFormat.Bgra, data, null);
    }

    public static RawFrame Frame(string stream, ulong frameId, int width, int height, PixelFormat format, byte[] data, long? ptsUs) => new()
    {
        Stream = stream,
        FrameId = frameId,
        PtsUs = ptsUs ?? (long)frameId * FrameIntervalUs30,
        CaptureTsUs = 1_700_000_000_000_000 + (long)frameId * 1000,
        Width = (uint)width,
        Height = (uint)height,
        PixelFormat = format,
        Data = ByteString.CopyFrom(data),
    };
}
