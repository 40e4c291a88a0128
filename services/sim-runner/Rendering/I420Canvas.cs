namespace Platform.SimRunner.Rendering;

/// <summary>
/// Draws straight into an I420 frame: Y (width × height), then U and V (width/2 × height/2 each), tightly packed.
/// Coordinates are continuous pixel coordinates (pixel (x, y) covers [x, x+1) × [y, y+1)); a luma pixel is painted when
/// its centre lies inside a shape, a chroma sample when the centre of its 2×2 block does, so edges stay consistent
/// between the planes. Every shape is clipped to the frame; drawing allocates nothing.
/// </summary>
public sealed class I420Canvas
{
    private byte[] _buffer;

    public I420Canvas(int width, int height) : this(new byte[FrameSize(width, height)], width, height)
    {
    }

    public I420Canvas(byte[] buffer, int width, int height)
    {
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0)
            throw new ArgumentException($"I420 needs even dimensions of at least 2×2, not {width}×{height}.");
        Width = width;
        Height = height;
        _buffer = Checked(buffer);
    }

    public int Width { get; }
    public int Height { get; }
    public int ChromaWidth => Width / 2;
    public int ChromaHeight => Height / 2;

    /// <summary>Bytes of one frame: the three planes.</summary>
    public int Length => FrameSize(Width, Height);

    public Span<byte> Data => _buffer.AsSpan(0, Length);
    public Span<byte> YPlane => _buffer.AsSpan(0, Width * Height);
    public Span<byte> UPlane => _buffer.AsSpan(Width * Height, ChromaWidth * ChromaHeight);
    public Span<byte> VPlane => _buffer.AsSpan(Width * Height + ChromaWidth * ChromaHeight, ChromaWidth * ChromaHeight);

    public static int FrameSize(int width, int height) => width * height + 2 * (width / 2) * (height / 2);

    /// <summary>Draws into another buffer of the same size from now on (a pooled array, which may be longer).</summary>
    public void Attach(byte[] buffer) => _buffer = Checked(buffer);

    public YuvColor GetPixel(int x, int y)
    {
        var c = (y / 2) * ChromaWidth + x / 2;
        return new YuvColor(YPlane[y * Width + x], UPlane[c], VPlane[c]);
    }

    public void Fill(YuvColor color)
    {
        YPlane.Fill(color.Y);
        UPlane.Fill(color.U);
        VPlane.Fill(color.V);
    }

    /// <summary>The axis-aligned rectangle [x0, x1) × [y0, y1).</summary>
    public void FillRect(double x0, double y0, double x1, double y1, YuvColor color)
        => Draw(new RectShape(Math.Min(x0, x1), Math.Min(y0, y1), Math.Max(x0, x1), Math.Max(y0, y1)), color);

    public void FillCircle(double cx, double cy, double radius, YuvColor color)
    {
        if (radius > 0) Draw(new RingShape(cx, cy, radius, 0), color);
    }

    /// <summary>A ring of <paramref name="thickness"/> whose outer edge is at <paramref name="radius"/>.</summary>
    public void DrawCircle(double cx, double cy, double radius, double thickness, YuvColor color)
    {
        if (radius > 0 && thickness > 0) Draw(new RingShape(cx, cy, radius, Math.Max(0, radius - thickness)), color);
    }

    /// <summary>A line of <paramref name="width"/> pixels from (x0, y0) to (x1, y1), square-ended at the end points.</summary>
    public void DrawLine(double x0, double y0, double x1, double y1, double width, YuvColor color)
    {
        var dx = x1 - x0;
        var dy = y1 - y0;
        var length = Math.Sqrt(dx * dx + dy * dy);
        if (width <= 0) return;
        if (length < 1e-9)
        {
            FillRect(x0 - width / 2, y0 - width / 2, x0 + width / 2, y0 + width / 2, color);
            return;
        }
        var nx = -dy / length * width / 2;
        var ny = dx / length * width / 2;
        ReadOnlySpan<PointD> quad = [new(x0 + nx, y0 + ny), new(x1 + nx, y1 + ny), new(x1 - nx, y1 - ny), new(x0 - nx, y0 - ny)];
        FillConvexPolygon(quad, color);
    }

    /// <summary>A convex polygon, vertices in either winding order (a concave one is filled as its row-wise hull).</summary>
    public void FillConvexPolygon(ReadOnlySpan<PointD> vertices, YuvColor color)
    {
        if (vertices.Length >= 3) Draw(new ConvexPolygonShape(vertices), color);
    }

    private void Draw<TShape>(TShape shape, YuvColor color) where TShape : IRowSpans, allows ref struct
    {
        var (top, bottom) = shape.VerticalExtent;
        if (!(bottom > top)) return;

        // Luma rows whose centre (y + 0.5) lies in [top, bottom).
        var y0 = Index(top - 0.5, Height);
        var y1 = Index(bottom - 0.5, Height);
        var yPlane = YPlane;
        for (var y = y0; y < y1; y++)
        {
            var row = yPlane.Slice(y * Width, Width);
            var n = shape.Spans(y + 0.5, out var a0, out var b0, out var a1, out var b1);
            if (n > 0) FillLuma(row, a0, b0, color.Y);
            if (n > 1) FillLuma(row, a1, b1, color.Y);
        }

        // Chroma row cy samples the centre of luma rows 2cy and 2cy + 1, i.e. y = 2cy + 1.
        var cw = ChromaWidth;
        var c0 = Index((top - 1) / 2, ChromaHeight);
        var c1 = Index((bottom - 1) / 2, ChromaHeight);
        var uPlane = UPlane;
        var vPlane = VPlane;
        for (var cy = c0; cy < c1; cy++)
        {
            var u = uPlane.Slice(cy * cw, cw);
            var v = vPlane.Slice(cy * cw, cw);
            var n = shape.Spans(2 * cy + 1, out var a0, out var b0, out var a1, out var b1);
            if (n > 0) FillChroma(u, v, a0, b0, color);
            if (n > 1) FillChroma(u, v, a1, b1, color);
        }
    }

    /// <summary>Pixels whose centre x + 0.5 lies in [a, b).</summary>
    private static void FillLuma(Span<byte> row, double a, double b, byte value)
    {
        if (!(b > a)) return; // empty, or NaN
        var x0 = Index(a - 0.5, row.Length);
        var x1 = Index(b - 0.5, row.Length);
        if (x1 > x0) row[x0..x1].Fill(value);
    }

    /// <summary>Chroma samples whose block centre 2cx + 1 lies in [a, b).</summary>
    private static void FillChroma(Span<byte> u, Span<byte> v, double a, double b, YuvColor color)
    {
        if (!(b > a)) return;
        var x0 = Index((a - 1) / 2, u.Length);
        var x1 = Index((b - 1) / 2, u.Length);
        if (x1 <= x0) return;
        u[x0..x1].Fill(color.U);
        v[x0..x1].Fill(color.V);
    }

    /// <summary>The first integer index at or above <paramref name="value"/>, clamped to [0, limit] (NaN and infinities included).</summary>
    private static int Index(double value, int limit) => value > 0 ? (value < limit ? (int)Math.Ceiling(value) : limit) : 0;

    private byte[] Checked(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length < FrameSize(Width, Height))
            throw new ArgumentException($"A {Width}×{Height} I420 frame needs {FrameSize(Width, Height)} bytes; the buffer has {buffer.Length}.", nameof(buffer));
        return buffer;
    }

    /// <summary>A shape as at most two horizontal spans [a, b) per row, for the row whose centre is at y = <c>yc</c>.</summary>
    private interface IRowSpans
    {
        (double Top, double Bottom) VerticalExtent { get; }

        int Spans(double yc, out double a0, out double b0, out double a1, out double b1);
    }

    private readonly struct RectShape(double x0, double y0, double x1, double y1) : IRowSpans
    {
        public (double Top, double Bottom) VerticalExtent => (y0, y1);

        public int Spans(double yc, out double a0, out double b0, out double a1, out double b1)
        {
            (a0, b0, a1, b1) = (x0, x1, 0, 0);
            return 1;
        }
    }

    /// <summary>A disc (inner radius 0) or an annulus.</summary>
    private readonly struct RingShape(double cx, double cy, double outer, double inner) : IRowSpans
    {
        public (double Top, double Bottom) VerticalExtent => (cy - outer, cy + outer);

        public int Spans(double yc, out double a0, out double b0, out double a1, out double b1)
        {
            a1 = b1 = 0;
            var dy = yc - cy;
            var o2 = outer * outer - dy * dy;
            if (o2 <= 0)
            {
                a0 = b0 = 0;
                return 0;
            }
            var ho = Math.Sqrt(o2);
            var i2 = inner * inner - dy * dy;
            if (i2 <= 0)
            {
                (a0, b0) = (cx - ho, cx + ho);
                return 1;
            }
            var hi = Math.Sqrt(i2);
            (a0, b0, a1, b1) = (cx - ho, cx - hi, cx + hi, cx + ho);
            return 2;
        }
    }

    private readonly ref struct ConvexPolygonShape(ReadOnlySpan<PointD> vertices) : IRowSpans
    {
        private readonly ReadOnlySpan<PointD> _vertices = vertices;

        public (double Top, double Bottom) VerticalExtent
        {
            get
            {
                var (top, bottom) = (double.PositiveInfinity, double.NegativeInfinity);
                foreach (var p in _vertices) (top, bottom) = (Math.Min(top, p.Y), Math.Max(bottom, p.Y));
                return (top, bottom);
            }
        }

        public int Spans(double yc, out double a0, out double b0, out double a1, out double b1)
        {
            a1 = b1 = 0;
            var (min, max) = (double.PositiveInfinity, double.NegativeInfinity);
            var prev = _vertices[^1];
            foreach (var p in _vertices)
            {
                // Half-open in y, so a row through a vertex counts each edge once.
                if ((prev.Y <= yc && yc < p.Y) || (p.Y <= yc && yc < prev.Y))
                {
                    var x = prev.X + (yc - prev.Y) / (p.Y - prev.Y) * (p.X - prev.X);
                    (min, max) = (Math.Min(min, x), Math.Max(max, x));
                }
                prev = p;
            }
            (a0, b0) = (min, max);
            return max > min ? 1 : 0;
        }
    }
}

/// <summary>A point in pixel coordinates.</summary>
public readonly record struct PointD(double X, double Y);
