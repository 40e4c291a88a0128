namespace Platform.TestSupport;

/// <summary>
/// A deterministic moving I420 test sequence: diagonal gradients, boxes moving at different speeds and a block of
/// text-like glyphs whose pattern changes every few frames (sharp edges, like a HUD). Same index, same bytes.
/// </summary>
public sealed class SyntheticVideo(int width, int height)
{
    public int Width { get; } = width;

    public int Height { get; } = height;

    /// <summary>Bytes of one tightly packed I420 frame.</summary>
    public int FrameSize => Width * Height * 3 / 2;

    public byte[] Render(int index)
    {
        var frame = new byte[FrameSize];
        Render(index, frame);
        return frame;
    }

    public void Render(int index, Span<byte> i420)
    {
        if (i420.Length != FrameSize) throw new ArgumentException($"Need {FrameSize} bytes for {Width}x{Height} I420.", nameof(i420));
        var luma = i420[..(Width * Height)];
        var chromaWidth = Width / 2;
        var chromaHeight = Height / 2;
        var u = i420.Slice(Width * Height, chromaWidth * chromaHeight);
        var v = i420.Slice(Width * Height + chromaWidth * chromaHeight, chromaWidth * chromaHeight);

        // A scrolling floor: gradient, fine texture and 1-pixel grid lines, all moving 2 px per frame.
        var scroll = index * 2;
        for (var y = 0; y < Height; y++)
        {
            var row = luma.Slice(y * Width, Width);
            for (var x = 0; x < Width; x++)
            {
                var fx = x + scroll;
                var texture = (int)((uint)(fx * 73856093 ^ y * 19349663) % 13u);
                var grid = fx % 48 == 0 || y % 48 == 0 ? 70 : 0;
                row[x] = (byte)Math.Min(235, 40 + (fx + y) * 120 / (Width + Height) % 120 + texture + grid);
            }
        }
        for (var y = 0; y < chromaHeight; y++)
        {
            for (var x = 0; x < chromaWidth; x++)
            {
                u[y * chromaWidth + x] = (byte)(96 + x * 64 / chromaWidth);
                v[y * chromaWidth + x] = (byte)(96 + y * 64 / chromaHeight);
            }
        }

        // Moving boxes, each with its own colour and speed.
        var box = Math.Max(16, Height / 8) & ~1;
        for (var b = 0; b < 4; b++)
        {
            var bx = (index * (3 + 2 * b) + b * Width / 4) % Math.Max(1, Width - box) & ~1;
            var by = (index * (1 + b) + b * Height / 5) % Math.Max(1, Height - box) & ~1;
            FillBox(luma, u, v, bx, by, box, box, (byte)(60 + 45 * b), (byte)(40 + 50 * b), (byte)(200 - 40 * b));
        }

        // Text-like glyphs: 5x7 cell patterns, white on dark, changing every 8 frames (like a HUD counter).
        var cell = Math.Max(2, Width / 320) * 2;
        var glyphs = Math.Min(24, Width / (cell * 6));
        var top = Height - cell * 10;
        FillBox(luma, u, v, 0, top - cell, glyphs * cell * 6 + cell * 2, cell * 10, 16, 128, 128);
        for (var g = 0; g < glyphs; g++)
        {
            var seed = (uint)(g * 2654435761u ^ (uint)(index / 8) * 40503u);
            for (var gy = 0; gy < 7; gy++)
            {
                for (var gx = 0; gx < 5; gx++)
                {
                    seed = seed * 1664525u + 1013904223u;
                    if ((seed >> 28 & 1) == 0) continue;
                    FillBox(luma, u, v, cell + (g * 6 + gx) * cell, top + gy * cell, cell, cell, 235, 128, 128);
                }
            }
        }
    }

    private void FillBox(Span<byte> luma, Span<byte> u, Span<byte> v, int x0, int y0, int w, int h, byte y, byte cb, byte cr)
    {
        var x1 = Math.Min(Width, x0 + w);
        var y1 = Math.Min(Height, y0 + h);
        for (var yy = Math.Max(0, y0); yy < y1; yy++) luma.Slice(yy * Width + x0, x1 - x0).Fill(y);
        var chromaWidth = Width / 2;
        for (var yy = Math.Max(0, y0) / 2; yy < y1 / 2; yy++)
        {
            u.Slice(yy * chromaWidth + x0 / 2, x1 / 2 - x0 / 2).Fill(cb);
            v.Slice(yy * chromaWidth + x0 / 2, x1 / 2 - x0 / 2).Fill(cr);
        }
    }
}
