using Platform.SimRunner.Rendering;

namespace Platform.SimRunner.Tests.Rendering;

public sealed class I420CanvasTests
{
    private static readonly YuvColor Black = YuvColor.FromRgb(0, 0, 0);
    private static readonly YuvColor Red = YuvColor.FromRgb(255, 0, 0);

    private static I420Canvas Blank(int width = 64, int height = 48)
    {
        var canvas = new I420Canvas(width, height);
        canvas.Fill(Black);
        return canvas;
    }

    private static bool IsRedLuma(I420Canvas c, int x, int y) => c.YPlane[y * c.Width + x] == Red.Y;

    [Theory]
    [InlineData(255, 255, 255, 235, 128, 128)]
    [InlineData(0, 0, 0, 16, 128, 128)]
    [InlineData(255, 0, 0, 81, 90, 240)]
    [InlineData(0, 255, 0, 145, 54, 34)]
    [InlineData(0, 0, 255, 41, 240, 110)]
    [InlineData(128, 128, 128, 126, 128, 128)]
    public void RgbConvertsToBt601LimitedRange(byte r, byte g, byte b, byte y, byte u, byte v)
        => Assert.Equal(new YuvColor(y, u, v), YuvColor.FromRgb(r, g, b));

    [Fact]
    public void TheFrameIsThreeTightlyPackedPlanes()
    {
        var canvas = new I420Canvas(64, 48);
        Assert.Equal(64 * 48 * 3 / 2, canvas.Length);
        canvas.Fill(new YuvColor(1, 2, 3));
        Assert.All(canvas.Data[..(64 * 48)].ToArray(), b => Assert.Equal(1, b));
        Assert.All(canvas.Data.Slice(64 * 48, 32 * 24).ToArray(), b => Assert.Equal(2, b));
        Assert.All(canvas.Data[(64 * 48 + 32 * 24)..].ToArray(), b => Assert.Equal(3, b));
        Assert.Throws<ArgumentException>(() => new I420Canvas(63, 48));
        Assert.Throws<ArgumentException>(() => new I420Canvas(new byte[100], 64, 48));
    }

    [Fact]
    public void ARectPaintsExactlyItsPixelsInLumaAndItsBlocksInChroma()
    {
        var c = Blank();
        c.FillRect(10, 10, 20, 16, Red);
        for (var y = 0; y < c.Height; y++)
        {
            for (var x = 0; x < c.Width; x++)
                Assert.True(IsRedLuma(c, x, y) == (x is >= 10 and < 20 && y is >= 10 and < 16), $"luma ({x},{y})");
        }
        // Chroma blocks 5..9 × 5..7 are fully inside; their neighbours are not.
        Assert.Equal(Red, c.GetPixel(10, 10));
        Assert.Equal(Red, c.GetPixel(19, 15));
        Assert.Equal(Black, c.GetPixel(21, 12));
        Assert.Equal(Black, c.GetPixel(12, 17));
    }

    [Fact]
    public void ShapesAreClippedAtEveryEdgeIncludingNegativeCoordinates()
    {
        var c = Blank();
        c.FillRect(-100, -100, 3, 2, Red);
        Assert.True(IsRedLuma(c, 0, 0) && IsRedLuma(c, 2, 1));
        Assert.False(IsRedLuma(c, 3, 0) || IsRedLuma(c, 0, 2));

        c.FillRect(60, 44, 10_000, 10_000, Red);
        Assert.True(IsRedLuma(c, 63, 47) && IsRedLuma(c, 60, 44));
        Assert.False(IsRedLuma(c, 59, 47));

        c = Blank();
        c.FillCircle(-5, -5, 10, Red);
        Assert.True(IsRedLuma(c, 0, 0));
        Assert.False(IsRedLuma(c, 6, 6));
        c.DrawLine(-50, 24, 200, 24, 3, Red);
        Assert.True(IsRedLuma(c, 0, 24) && IsRedLuma(c, 63, 24));
        c.FillConvexPolygon([new(-20, 40), new(100, 40), new(100, 80), new(-20, 80)], Red);
        Assert.True(IsRedLuma(c, 0, 47) && IsRedLuma(c, 63, 40));
    }

    [Fact]
    public void ShapesEntirelyOutsideOrDegenerateChangeNothing()
    {
        var c = Blank();
        var before = c.Data.ToArray();
        c.FillRect(-30, -30, -1, -1, Red);
        c.FillRect(64, 0, 100, 48, Red);
        c.FillRect(10, 10, 10, 30, Red);
        c.FillCircle(-20, 20, 10, Red);
        c.FillCircle(20, 20, 0, Red);
        c.DrawCircle(200, 200, 30, 3, Red);
        c.DrawLine(-10, -10, -40, -2, 4, Red);
        c.FillConvexPolygon([new(1e12, 1e12), new(2e12, 1e12), new(1.5e12, 3e12)], Red);
        c.FillRect(double.NaN, 0, 10, 10, Red);
        c.FillCircle(double.PositiveInfinity, 10, 5, Red);
        Assert.Equal(before, c.Data.ToArray());
    }

    [Fact]
    public void ACircleIsFilledInsideItsRadiusAndAnOutlineIsHollow()
    {
        var c = Blank();
        c.FillCircle(32, 24, 10, Red);
        Assert.True(IsRedLuma(c, 32, 24));
        Assert.True(IsRedLuma(c, 40, 24));   // centre 8.5 px away
        Assert.False(IsRedLuma(c, 42, 24));  // 10.5 px
        Assert.False(IsRedLuma(c, 40, 31));  // diagonal, ~10.6 px
        Assert.Equal(Red, c.GetPixel(32, 24));

        c = Blank();
        c.DrawCircle(32, 24, 10, 2, Red);
        Assert.False(IsRedLuma(c, 32, 24));
        Assert.True(IsRedLuma(c, 40, 24));   // 8.5 px: in the ring [8, 10)
        Assert.True(IsRedLuma(c, 23, 24));   // the other side
        Assert.False(IsRedLuma(c, 38, 24));  // 6.5 px: inside the hole
    }

    [Fact]
    public void AThickLineCoversItsAxisToHalfItsWidth()
    {
        var c = Blank();
        c.DrawLine(5, 5, 55, 40, 4, Red);
        Assert.True(IsRedLuma(c, 30, 22));   // on the axis: (30.5, 22.5) is ~0.1 px off it
        Assert.True(IsRedLuma(c, 5, 5));
        Assert.False(IsRedLuma(c, 30, 30));
        Assert.False(IsRedLuma(c, 58, 43));  // past the end
    }

    [Fact]
    public void AConvexPolygonFillsInsideInEitherWinding()
    {
        foreach (var triangle in new PointD[][] { [new(10, 10), new(50, 10), new(30, 40)], [new(30, 40), new(50, 10), new(10, 10)] })
        {
            var c = Blank();
            c.FillConvexPolygon(triangle, Red);
            Assert.True(IsRedLuma(c, 30, 20));
            Assert.True(IsRedLuma(c, 11, 10));
            Assert.False(IsRedLuma(c, 12, 38));
            Assert.False(IsRedLuma(c, 30, 41));
        }
    }

    [Fact]
    public void APooledBufferLongerThanTheFrameCanBeAttached()
    {
        var c = new I420Canvas(64, 48);
        var pooled = new byte[c.Length + 100];
        c.Attach(pooled);
        c.Fill(Red);
        Assert.Equal(Red.Y, pooled[0]);
        Assert.Equal(0, pooled[c.Length]);
        Assert.Throws<ArgumentException>(() => c.Attach(new byte[10]));
    }
}
