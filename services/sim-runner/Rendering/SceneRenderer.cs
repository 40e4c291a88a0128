using System.Globalization;
using Platform.Contracts.Subjects;
using Platform.SimRunner.Simulation;

namespace Platform.SimRunner.Rendering;

/// <summary>
/// Draws a top-down view of the world into an I420 frame: floor with a metric grid, walls and obstacles (drawn once
/// into a cached background and copied per frame), each robot's trail, the robots as discs with a heading triangle
/// in distinct colours, and a HUD (sim time, frame number, step, safety mode, paused). One renderer per frame size;
/// not thread-safe (it keeps the trails), so one thread renders.
/// </summary>
public sealed class SceneRenderer
{
    public const int DefaultTrailLength = 90;

    private static readonly YuvColor Backdrop = YuvColor.FromRgb(22, 24, 29);
    private static readonly YuvColor Floor = YuvColor.FromRgb(46, 52, 61);
    private static readonly YuvColor GridMinor = YuvColor.FromRgb(60, 67, 78);
    private static readonly YuvColor GridAxis = YuvColor.FromRgb(92, 102, 118);
    private static readonly YuvColor Wall = YuvColor.FromRgb(172, 178, 188);
    private static readonly YuvColor ObstacleFill = YuvColor.FromRgb(122, 92, 60);
    private static readonly YuvColor ObstacleEdge = YuvColor.FromRgb(206, 164, 112);
    private static readonly YuvColor HudBand = YuvColor.FromRgb(10, 11, 14);
    private static readonly YuvColor HudText = YuvColor.FromRgb(230, 232, 236);
    private static readonly YuvColor White = YuvColor.FromRgb(255, 255, 255);
    private static readonly YuvColor Black = YuvColor.FromRgb(0, 0, 0);
    private static readonly YuvColor PausedColour = YuvColor.FromRgb(70, 110, 200);

    /// <summary>Robot colours by index (wrapping), picked to stay apart from each other and from the floor.</summary>
    public static readonly IReadOnlyList<YuvColor> RobotColours =
    [
        YuvColor.FromRgb(0, 150, 255),
        YuvColor.FromRgb(255, 128, 0),
        YuvColor.FromRgb(0, 200, 120),
        YuvColor.FromRgb(220, 60, 200),
        YuvColor.FromRgb(240, 220, 0),
        YuvColor.FromRgb(0, 220, 220),
    ];

    private static readonly double[] GridSpacings = [1.0, 2.0, 5.0, 10.0];

    private readonly ScenarioDefinition _scenario;
    private readonly byte[] _background;
    private readonly Trail[] _trails;
    private long _lastStep = -1;

    public SceneRenderer(ScenarioDefinition scenario, int width, int height, int trailLength = DefaultTrailLength)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfLessThan(trailLength, 2);
        _scenario = scenario;
        View = new SceneView(scenario.Bounds, width, height);
        var canvas = new I420Canvas(width, height);
        DrawStatic(canvas);
        _background = canvas.Data.ToArray();
        _trails = [.. scenario.Robots.Select(_ => new Trail(trailLength))];
    }

    public SceneView View { get; }
    public int Width => View.Width;
    public int Height => View.Height;
    public int FrameSize => I420Canvas.FrameSize(Width, Height);

    public static YuvColor ModeColour(SafetyMode mode) => mode switch
    {
        SafetyMode.Armed => YuvColor.FromRgb(30, 170, 70),
        SafetyMode.Hold => YuvColor.FromRgb(235, 165, 0),
        _ => YuvColor.FromRgb(225, 30, 30),
    };

    public static YuvColor RobotColour(int index) => RobotColours[index % RobotColours.Count];

    /// <summary>A robot's trail: its colour faded toward the floor.</summary>
    public static YuvColor TrailColour(int index) => RobotColour(index).Mix(Floor, 0.55);

    /// <summary>Draws <paramref name="scene"/> as frame <paramref name="frameId"/> over the whole canvas.</summary>
    public void Render(I420Canvas canvas, SceneSnapshot scene, long frameId)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(scene);
        if (canvas.Width != Width || canvas.Height != Height)
            throw new ArgumentException($"This renderer draws {Width}×{Height} frames, not {canvas.Width}×{canvas.Height}.", nameof(canvas));
        _background.CopyTo(canvas.Data);
        UpdateTrails(scene);
        for (var i = 0; i < scene.Robots.Length && i < _trails.Length; i++) DrawTrail(canvas, _trails[i], TrailColour(i));
        for (var i = 0; i < scene.Robots.Length; i++) DrawRobot(canvas, scene.Robots[i], RobotColour(i));
        DrawHud(canvas, scene, frameId);
    }

    private void DrawStatic(I420Canvas canvas)
    {
        var v = View;
        var b = _scenario.Bounds;
        canvas.Fill(Backdrop);
        var topLeft = v.ToPixel(b.MinX, b.MaxY);
        var bottomRight = v.ToPixel(b.MaxX, b.MinY);
        canvas.FillRect(topLeft.X, topLeft.Y, bottomRight.X, bottomRight.Y, Floor);

        // Grid lines every 1, 2, 5 or 10 m: the finest that stays at least 12 px apart; the axes brighter.
        var spacing = GridSpacings.FirstOrDefault(s => v.ToPixels(s) >= 12, GridSpacings[^1]);
        for (var x = Math.Ceiling(b.MinX / spacing) * spacing; x <= b.MaxX; x += spacing)
        {
            var p = v.ToPixel(x, 0).X;
            canvas.FillRect(p - v.LineWidth / 2, topLeft.Y, p + v.LineWidth / 2, bottomRight.Y, Math.Abs(x) < 1e-9 ? GridAxis : GridMinor);
        }
        for (var y = Math.Ceiling(b.MinY / spacing) * spacing; y <= b.MaxY; y += spacing)
        {
            var p = v.ToPixel(0, y).Y;
            canvas.FillRect(topLeft.X, p - v.LineWidth / 2, bottomRight.X, p + v.LineWidth / 2, Math.Abs(y) < 1e-9 ? GridAxis : GridMinor);
        }

        // Walls: a frame just outside the arena, so the floor inside is all reachable.
        var wall = Math.Max(2, v.ToPixels(0.1));
        canvas.FillRect(topLeft.X - wall, topLeft.Y - wall, bottomRight.X + wall, topLeft.Y, Wall);
        canvas.FillRect(topLeft.X - wall, bottomRight.Y, bottomRight.X + wall, bottomRight.Y + wall, Wall);
        canvas.FillRect(topLeft.X - wall, topLeft.Y, topLeft.X, bottomRight.Y, Wall);
        canvas.FillRect(bottomRight.X, topLeft.Y, bottomRight.X + wall, bottomRight.Y, Wall);

        foreach (var o in _scenario.Obstacles ?? [])
        {
            var c = v.ToPixel(o.X, o.Y);
            if (o.Shape == "circle")
            {
                canvas.FillCircle(c.X, c.Y, v.ToPixels(o.Radius), ObstacleFill);
                canvas.DrawCircle(c.X, c.Y, v.ToPixels(o.Radius), 2 * v.LineWidth, ObstacleEdge);
            }
            else
            {
                var (hw, hh) = (v.ToPixels(o.Width) / 2, v.ToPixels(o.Height) / 2);
                var e = 2 * v.LineWidth;
                canvas.FillRect(c.X - hw, c.Y - hh, c.X + hw, c.Y + hh, ObstacleEdge);
                canvas.FillRect(c.X - hw + e, c.Y - hh + e, c.X + hw - e, c.Y + hh - e, ObstacleFill);
            }
        }
    }

    private void UpdateTrails(SceneSnapshot scene)
    {
        // A reset takes the world back to step 0: the old paths no longer mean anything.
        if (scene.Step < _lastStep)
        {
            foreach (var trail in _trails) trail.Clear();
        }
        _lastStep = scene.Step;
        var minMove = 1.0 / View.PixelsPerMetre;
        for (var i = 0; i < scene.Robots.Length && i < _trails.Length; i++) _trails[i].Add(scene.Robots[i].X, scene.Robots[i].Y, minMove);
    }

    private void DrawTrail(I420Canvas canvas, Trail trail, YuvColor colour)
    {
        var width = Math.Max(1, View.ToPixels(0.04));
        for (var k = 1; k < trail.Count; k++)
        {
            var (ax, ay) = trail[k - 1];
            var (bx, by) = trail[k];
            var a = View.ToPixel(ax, ay);
            var b = View.ToPixel(bx, by);
            canvas.DrawLine(a.X, a.Y, b.X, b.Y, width, colour);
        }
    }

    private void DrawRobot(I420Canvas canvas, RobotPose pose, YuvColor colour)
    {
        var c = View.ToPixel(pose.X, pose.Y);
        var r = Math.Max(2, View.ToPixels(pose.Radius));
        canvas.FillCircle(c.X, c.Y, r, colour);
        canvas.DrawCircle(c.X, c.Y, r, View.LineWidth, White);

        // Heading: a triangle from ahead of the centre to the rim (pixel y points down, so the world's sin flips).
        var (sin, cos) = Math.SinCos(pose.Yaw);
        var (fx, fy) = (cos, -sin);
        var (sx, sy) = (-fy, fx);
        var baseX = c.X + fx * r * 0.2;
        var baseY = c.Y + fy * r * 0.2;
        ReadOnlySpan<PointD> arrow =
        [
            new(c.X + fx * r * 0.92, c.Y + fy * r * 0.92),
            new(baseX + sx * r * 0.42, baseY + sy * r * 0.42),
            new(baseX - sx * r * 0.42, baseY - sy * r * 0.42),
        ];
        canvas.FillConvexPolygon(arrow, White);
    }

    private void DrawHud(I420Canvas canvas, SceneSnapshot scene, long frameId)
    {
        var scale = View.FontScale;
        var pad = 2 * scale;
        canvas.FillRect(0, 0, Width, View.HudHeight, HudBand);

        // Badges from the right: the safety mode, then PAUSED to its left.
        var mode = scene.Mode.ToWire();
        var right = Badge(canvas, Width - pad, mode, ModeColour(scene.Mode), scene.Mode == SafetyMode.Hold ? Black : White);
        if (scene.Paused) right = Badge(canvas, right - pad, "PAUSED", PausedColour, White);

        Span<char> text = stackalloc char[96];
        text.TryWrite(CultureInfo.InvariantCulture, $"sim {scene.SimTime:0.000} s  frame {frameId}  step {scene.Step}", out var length);
        var room = (right - 2 * pad) / (BitmapFont.Advance * scale);
        BitmapFont.DrawText(canvas, text[..Math.Clamp(length, 0, Math.Max(0, room))], pad, pad, scale, HudText);
    }

    /// <summary>Draws a label on a coloured box whose right edge is at <paramref name="right"/>; returns its left edge.</summary>
    private int Badge(I420Canvas canvas, int right, string label, YuvColor fill, YuvColor ink)
    {
        var scale = View.FontScale;
        var left = right - BitmapFont.MeasureWidth(label.Length, scale) - 4 * scale;
        canvas.FillRect(left, 0, right, View.HudHeight, fill);
        BitmapFont.DrawText(canvas, label, left + 2 * scale, 2 * scale, scale, ink);
        return left;
    }

    /// <summary>The last positions of one robot (world metres), oldest first; a fixed ring, no growth.</summary>
    private sealed class Trail(int capacity)
    {
        private readonly (double X, double Y)[] _points = new (double, double)[capacity];
        private int _start;

        public int Count { get; private set; }

        public (double X, double Y) this[int index] => _points[(_start + index) % _points.Length];

        /// <summary>Appends a point unless it is within <paramref name="minMove"/> of the newest (a robot at rest adds nothing).</summary>
        public void Add(double x, double y, double minMove)
        {
            if (Count > 0)
            {
                var (lx, ly) = this[Count - 1];
                if ((x - lx) * (x - lx) + (y - ly) * (y - ly) < minMove * minMove) return;
            }
            if (Count < _points.Length)
            {
                _points[(_start + Count) % _points.Length] = (x, y);
                Count++;
            }
            else
            {
                _points[_start] = (x, y);
                _start = (_start + 1) % _points.Length;
            }
        }

        public void Clear() => (_start, Count) = (0, 0);
    }
}
