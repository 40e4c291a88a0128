using Platform.Media;

namespace Platform.Media.Tests;

public sealed class FrameConverterTests
{
    private const int Width = 64;
    private const int Height = 32;

    // BT.601 limited range: (Y, U, V) of pure colours.
    public static TheoryData<byte, byte, byte, byte, byte, byte> Colours => new()
    {
        { 255, 0, 0, 82, 90, 240 },
        { 0, 255, 0, 145, 54, 34 },
        { 0, 0, 255, 41, 240, 110 },
        { 255, 255, 255, 235, 128, 128 },
        { 0, 0, 0, 16, 128, 128 },
    };

    [Theory]
    [MemberData(nameof(Colours))]
    public void Rgb24_converts_known_colours(byte r, byte g, byte b, byte y, byte u, byte v)
    {
        var rgb = new byte[Width * Height * 3];
        for (var i = 0; i < Width * Height; i++) (rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]) = (r, g, b);
        AssertUniform(Convert(RawPixelFormat.Rgb24, rgb), y, u, v);
    }

    [Theory]
    [MemberData(nameof(Colours))]
    public void Bgra_converts_known_colours(byte r, byte g, byte b, byte y, byte u, byte v)
    {
        var bgra = new byte[Width * Height * 4];
        for (var i = 0; i < Width * Height; i++) (bgra[i * 4], bgra[i * 4 + 1], bgra[i * 4 + 2], bgra[i * 4 + 3]) = (b, g, r, 255);
        AssertUniform(Convert(RawPixelFormat.Bgra, bgra), y, u, v);
    }

    [Fact]
    public void Nv12_deinterleaves_chroma_and_keeps_luma()
    {
        var nv12 = new byte[Width * Height * 3 / 2];
        for (var i = 0; i < Width * Height; i++) nv12[i] = (byte)(16 + i % 200);
        for (var i = Width * Height; i < nv12.Length; i += 2) (nv12[i], nv12[i + 1]) = (60, 200);
        var i420 = Convert(RawPixelFormat.Nv12, nv12);
        Assert.Equal(nv12[..(Width * Height)], i420[..(Width * Height)]);
        Assert.All(i420[(Width * Height)..(Width * Height * 5 / 4)], u => Assert.Equal(60, u));
        Assert.All(i420[(Width * Height * 5 / 4)..], v => Assert.Equal(200, v));
    }

    [Fact]
    public void A_left_half_red_right_half_blue_frame_keeps_the_edge()
    {
        var rgb = new byte[Width * Height * 3];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var p = (y * Width + x) * 3;
                if (x < Width / 2) rgb[p] = 255; else rgb[p + 2] = 255;
            }
        }
        var i420 = Convert(RawPixelFormat.Rgb24, rgb);
        Assert.InRange(i420[5 * Width + 4], 80, 84);
        Assert.InRange(i420[5 * Width + Width - 4], 39, 43);
    }

    [Theory]
    [InlineData(1000, 562)]
    [InlineData(1280, 720)]
    public unsafe void Aligned_and_unaligned_buffers_of_any_even_size_convert_the_same(int width, int height)
    {
        using var converter = new FrameConverter(RawPixelFormat.Bgra, width, height);
        var size = converter.SourceFrameSize;
        var aligned = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)size, 64);
        var alignedOut = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)converter.I420FrameSize, 64);
        try
        {
            var source = new Span<byte>(aligned, size);
            for (var i = 0; i < width * height; i++) (source[i * 4], source[i * 4 + 1], source[i * 4 + 2], source[i * 4 + 3]) = (255, 0, 0, 255);
            var viaManaged = new byte[converter.I420FrameSize];
            converter.Convert(source.ToArray(), viaManaged);
            var viaAligned = new Span<byte>(alignedOut, converter.I420FrameSize);
            converter.Convert(source, viaAligned);
            Assert.True(viaAligned.SequenceEqual(viaManaged));
            Assert.InRange(viaManaged[0], 39, 43);
            Assert.InRange(viaManaged[^1], 108, 112);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(aligned);
            System.Runtime.InteropServices.NativeMemory.AlignedFree(alignedOut);
        }
    }

    [Fact]
    public void Wrong_sizes_are_argument_exceptions()
    {
        using var converter = new FrameConverter(RawPixelFormat.Bgra, Width, Height);
        Assert.Equal(Width * Height * 4, converter.SourceFrameSize);
        Assert.Throws<ArgumentException>(() => converter.Convert(new byte[Width * Height * 3], new byte[converter.I420FrameSize]));
        Assert.Throws<ArgumentException>(() => converter.Convert(new byte[converter.SourceFrameSize], new byte[converter.I420FrameSize - 1]));
        Assert.Throws<ArgumentException>(() => new FrameConverter(RawPixelFormat.Rgb24, 63, 32));
    }

    private static byte[] Convert(RawPixelFormat format, byte[] source)
    {
        using var converter = new FrameConverter(format, Width, Height);
        var i420 = new byte[converter.I420FrameSize];
        converter.Convert(source, i420);
        return i420;
    }

    private static void AssertUniform(byte[] i420, byte y, byte u, byte v)
    {
        var luma = Width * Height;
        Assert.All(i420[..luma], value => Assert.InRange(value, y - 2, y + 2));
        Assert.All(i420[luma..(luma * 5 / 4)], value => Assert.InRange(value, u - 2, u + 2));
        Assert.All(i420[(luma * 5 / 4)..], value => Assert.InRange(value, v - 2, v + 2));
    }
}
