namespace Platform.SimRunner.Simulation;

/// <summary>A static obstacle; <see cref="Push"/> gives the smallest move that takes a disc out of it.</summary>
public abstract record Obstacle
{
    /// <summary>
    /// When a disc at (<paramref name="x"/>, <paramref name="y"/>) with <paramref name="radius"/> overlaps the obstacle,
    /// returns true with the outward unit normal and the penetration depth.
    /// </summary>
    public abstract bool Push(double x, double y, double radius, out double nx, out double ny, out double depth);

    public static Obstacle From(ObstacleDefinition d) => d.Shape switch
    {
        "circle" => new CircleObstacle(d.X, d.Y, d.Radius),
        "box" => new BoxObstacle(d.X - d.Width / 2, d.Y - d.Height / 2, d.X + d.Width / 2, d.Y + d.Height / 2),
        _ => throw new InvalidDataException($"unknown obstacle shape '{d.Shape}'"),
    };
}

public sealed record CircleObstacle(double X, double Y, double Radius) : Obstacle
{
    public override bool Push(double x, double y, double radius, out double nx, out double ny, out double depth)
    {
        var dx = x - X;
        var dy = y - Y;
        var dist = Math.Sqrt(dx * dx + dy * dy);
        depth = Radius + radius - dist;
        if (depth <= 0)
        {
            nx = ny = 0;
            return false;
        }
        // A centre exactly on the obstacle's centre has no direction: push along +x, deterministically.
        (nx, ny) = dist > 1e-12 ? (dx / dist, dy / dist) : (1.0, 0.0);
        return true;
    }
}

public sealed record BoxObstacle(double MinX, double MinY, double MaxX, double MaxY) : Obstacle
{
    public override bool Push(double x, double y, double radius, out double nx, out double ny, out double depth)
    {
        var cx = Math.Clamp(x, MinX, MaxX);
        var cy = Math.Clamp(y, MinY, MaxY);
        var dx = x - cx;
        var dy = y - cy;
        var dist2 = dx * dx + dy * dy;
        if (dist2 > 1e-24)
        {
            var dist = Math.Sqrt(dist2);
            depth = radius - dist;
            if (depth <= 0)
            {
                nx = ny = 0;
                return false;
            }
            nx = dx / dist;
            ny = dy / dist;
            return true;
        }
        // Centre inside the box: leave through the nearest face.
        var left = x - MinX;
        var right = MaxX - x;
        var down = y - MinY;
        var up = MaxY - y;
        var min = Math.Min(Math.Min(left, right), Math.Min(down, up));
        (nx, ny) = min == left ? (-1.0, 0.0) : min == right ? (1.0, 0.0) : min == down ? (0.0, -1.0) : (0.0, 1.0);
        depth = min + radius;
        return true;
    }
}
