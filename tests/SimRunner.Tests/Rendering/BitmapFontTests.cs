using Platform.SimRunner.Rendering;

namespace Platform.SimRunner.Tests.Rendering;

public sealed class BitmapFontTests
{
    private static readonly YuvColor Ink = YuvColor.FromRgb(255, 255, 255);
    private static readonly YuvColor Paper = YuvColor.FromRgb(0, 0, 0);

    private static (I420Canvas Canvas, int End) Draw(string text, int x, int y, int scale, int width = 96, int height = 32)
    {
        var canvas = new I420Canvas(width, height);
        canvas.Fill(Paper);
        return (canvas, BitmapFont.DrawText(canvas, text, x, y, scale, Ink));
    }

    private static List<(int X, int Y)> Inked(I420Canvas c)
    {
        var set = new List<(int, int)>();
        for (var y = 0; y < c.Height; y++)
        {
            for (var x = 0; x < c.Width; x++)
            {
                if (c.YPlane[y * c.Width + x] == Ink.Y) set.Add((x, y));
            }
        }
        return set;
    }

    [Fact]
    public void TextSetsPixelsOnlyInsideItsGlyphBoxes()
    {
        var (canvas, end) = Draw("AB", 4, 6, 2);
        var inked = Inked(canvas);
        Assert.True(inked.Count > 40, $"{inked.Count} pixels inked");
        var boxWidth = BitmapFont.MeasureWidth(2, 2);
        Assert.All(inked, p => Assert.True(p.X >= 4 && p.X < 4 + boxWidth && p.Y >= 6 && p.Y < 6 + BitmapFont.Height(2), $"pixel {p} outside the box"));
        Assert.Contains(inked, p => p.X < 4 + 10);            // something in A's cell
        Assert.Contains(inked, p => p.X >= 4 + 12);           // and in B's
        Assert.Equal(4 + 2 * BitmapFont.Advance * 2, end);
    }

    [Fact]
    public void DifferentCharactersDrawDifferentlyAndUnknownOnesDrawAsQuestionMarks()
    {
        Assert.NotEqual(Inked(Draw("A", 2, 2, 1).Canvas), Inked(Draw("B", 2, 2, 1).Canvas));
        Assert.Equal(Inked(Draw("?", 2, 2, 1).Canvas), Inked(Draw("\u00e9", 2, 2, 1).Canvas));
        Assert.Empty(Inked(Draw(" ", 2, 2, 3).Canvas));
        Assert.Equal(95 * BitmapFont.GlyphWidth, Enumerable.Range(32, 95).Sum(c => BitmapFont.Glyph((char)c).Length));
    }

    [Fact]
    public void ScaleMultipliesTheGlyphAndTextIsClippedAtTheEdge()
    {
        var one = Inked(Draw("E", 0, 0, 1).Canvas).Count;
        var three = Inked(Draw("E", 0, 0, 3).Canvas).Count;
        Assert.Equal(9 * one, three);
        var (clipped, _) = Draw("WWWWWWWWWWWWWWWWWWWW", 90, 28, 2);
        Assert.All(Inked(clipped), p => Assert.True(p.X >= 90 && p.Y >= 28));
    }
}
