using Google.Protobuf;
using Platform.Contracts.Encoder.V1;
using Platform.Encoder.Pipeline;

namespace Platform.Encoder.Tests;

public sealed class FrameLayoutTests
{
    [Theory]
    [InlineData(PixelFormat.I420, 1280, 720, 1_382_400)]
    [InlineData(PixelFormat.Nv12, 1920, 1080, 3_110_400)]
    [InlineData(PixelFormat.Rgb24, 640, 360, 691_200)]
    [InlineData(PixelFormat.Bgra, 640, 360, 921_600)]
    [InlineData(PixelFormat.Unspecified, 640, 360, 0)]
    public void Expected_sizes_are_tightly_packed(PixelFormat format, int width, int height, long bytes)
        => Assert.Equal(bytes, FrameLayout.ExpectedBytes(format, width, height));

    [Fact]
    public void Problems_name_what_is_wrong()
    {
        static RawFrame F(PixelFormat f, uint w, uint h, int bytes) => new() { PixelFormat = f, Width = w, Height = h, Data = ByteString.CopyFrom(new byte[bytes]) };
        Assert.Null(FrameLayout.Problem(F(PixelFormat.I420, 4, 2, 12)));
        Assert.Contains("needs 12", FrameLayout.Problem(F(PixelFormat.I420, 4, 2, 11)), StringComparison.Ordinal);
        Assert.Contains("pixel format", FrameLayout.Problem(F(PixelFormat.Unspecified, 4, 2, 12)), StringComparison.Ordinal);
        Assert.Contains("pixel format", FrameLayout.Problem(F((PixelFormat)42, 4, 2, 12)), StringComparison.Ordinal);
        Assert.Contains("odd", FrameLayout.Problem(F(PixelFormat.I420, 5, 2, 18)), StringComparison.Ordinal);
        Assert.Contains("outside", FrameLayout.Problem(F(PixelFormat.I420, 0, 2, 0)), StringComparison.Ordinal);
        Assert.Contains("outside", FrameLayout.Problem(F(PixelFormat.I420, 10_000, 2, 30_000)), StringComparison.Ordinal);
    }
}
