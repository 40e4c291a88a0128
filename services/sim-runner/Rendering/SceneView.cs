using Platform.SimRunner.Simulation;

namespace Platform.SimRunner.Rendering;

/// <summary>
/// The layout of a frame: a HUD band at the top, and the arena fitted below it with margins, uniformly scaled and
/// centred, world +y up. Sizes (font scale, line widths) follow the frame height so 320×180 and 1920×1080 look alike.
/// </summary>
public sealed class SceneView
{
    public SceneView(Bounds arena, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(arena);
        if (!(arena.MaxX > arena.MinX && arena.MaxY > arena.MinY)) throw new ArgumentException($"The arena {arena} is empty.", nameof(arena));
        Arena = arena;
        Width = width;
        Height = height;
        FontScale = Math.Max(1, height / 360);
        HudHeight = BitmapFont.Height(FontScale) + 4 * FontScale;
        var margin = Math.Max(4, Math.Min(width, height) / 40);
        var areaTop = HudHeight + margin;
        var areaWidth = Math.Max(1, width - 2 * margin);
        var areaHeight = Math.Max(1, height - areaTop - margin);
        PixelsPerMetre = Math.Min(areaWidth / (arena.MaxX - arena.MinX), areaHeight / (arena.MaxY - arena.MinY));
        OriginX = margin + (areaWidth - (arena.MaxX - arena.MinX) * PixelsPerMetre) / 2;
        OriginY = areaTop + (areaHeight - (arena.MaxY - arena.MinY) * PixelsPerMetre) / 2;
        LineWidth = Math.Max(1, height / 720.0);
    }

    public Bounds Arena { get; }
    public int Width { get; }
    public int Height { get; }
    public int FontScale { get; }
    public int HudHeight { get; }
    public double PixelsPerMetre { get; }

    /// <summary>Pixel position of the arena's top-left corner (MinX, MaxY).</summary>
    public double OriginX { get; }
    public double OriginY { get; }

    /// <summary>Width of a thin line (grid, outlines), in pixels.</summary>
    public double LineWidth { get; }

    public PointD ToPixel(double x, double y) => new(OriginX + (x - Arena.MinX) * PixelsPerMetre, OriginY + (Arena.MaxY - y) * PixelsPerMetre);

    public double ToPixels(double metres) => metres * PixelsPerMetre;
}
