namespace Platform.SimRunner.Simulation;

/// <summary>
/// The deterministic 2D world: robots inside walls among static obstacles, advanced by fixed steps of 1/<c>hz</c> s.
/// The same scenario, seed and commands at the same steps give bit-identical trajectories; nothing here reads a clock.
/// </summary>
public sealed class World
{
    private readonly Obstacle[] _obstacles;
    private readonly Robot[] _robots;

    public World(ScenarioDefinition scenario, int physicsHz, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(physicsHz, 1);
        Scenario = scenario;
        PhysicsHz = physicsHz;
        Dt = 1.0 / physicsHz;
        _obstacles = [.. (scenario.Obstacles ?? []).Select(Obstacle.From)];
        _robots = [.. scenario.Robots.Select(r => new Robot(r))];
        Reset(seed ?? scenario.Seed);
    }

    public ScenarioDefinition Scenario { get; }
    public int PhysicsHz { get; }
    public double Dt { get; }
    public int Seed { get; private set; }
    public long StepCount { get; private set; }

    /// <summary>Sim time in seconds, derived from the step count so it never drifts.</summary>
    public double Time => StepCount * Dt;

    public IReadOnlyList<Robot> Robots => _robots;

    public Robot? FindRobot(string name) => Array.Find(_robots, r => r.Name == name);

    /// <summary>Back to step 0: each robot at its nominal pose plus a jitter drawn from <paramref name="seed"/>.</summary>
    public void Reset(int seed)
    {
        Seed = seed;
        StepCount = 0;
        var random = new Random(seed);
        var s = Scenario;
        foreach (var robot in _robots)
        {
            var d = robot.Definition;
            var x = d.X + (random.NextDouble() * 2 - 1) * s.StartJitterM;
            var y = d.Y + (random.NextDouble() * 2 - 1) * s.StartJitterM;
            var yaw = WrapAngle(d.Yaw + (random.NextDouble() * 2 - 1) * s.StartJitterRad);
            robot.PlaceAt(x, y, yaw);
        }
    }

    public void Step()
    {
        var dt = Dt;
        foreach (var robot in _robots)
        {
            Accelerate(robot, dt);
            var (s, c) = Math.SinCos(robot.Yaw);
            robot.X += (c * robot.Vx - s * robot.Vy) * dt;
            robot.Y += (s * robot.Vx + c * robot.Vy) * dt;
            robot.Yaw = WrapAngle(robot.Yaw + robot.Wz * dt);
            CollideWithStatic(robot);
        }
        CollideRobots();
        StepCount++;
    }

    /// <summary>Moves the body velocity toward the command, at most max accel × dt (linear as a vector).</summary>
    private static void Accelerate(Robot robot, double dt)
    {
        var d = robot.Definition;
        var dvx = robot.CmdVx - robot.Vx;
        var dvy = robot.CmdVy - robot.Vy;
        var dv = Math.Sqrt(dvx * dvx + dvy * dvy);
        var maxDv = d.MaxLinearAccel * dt;
        if (dv > maxDv)
        {
            dvx *= maxDv / dv;
            dvy *= maxDv / dv;
        }
        robot.Vx += dvx;
        robot.Vy += dvy;
        robot.Wz += Math.Clamp(robot.CmdWz - robot.Wz, -d.MaxAngularAccel * dt, d.MaxAngularAccel * dt);
    }

    private void CollideWithStatic(Robot robot)
    {
        var hit = false;
        var b = Scenario.Bounds;
        var r = robot.Radius;
        if (robot.X - r < b.MinX) { robot.X = b.MinX + r; StopAlong(robot, 1, 0); hit = true; }
        if (robot.X + r > b.MaxX) { robot.X = b.MaxX - r; StopAlong(robot, -1, 0); hit = true; }
        if (robot.Y - r < b.MinY) { robot.Y = b.MinY + r; StopAlong(robot, 0, 1); hit = true; }
        if (robot.Y + r > b.MaxY) { robot.Y = b.MaxY - r; StopAlong(robot, 0, -1); hit = true; }
        foreach (var obstacle in _obstacles)
        {
            if (!obstacle.Push(robot.X, robot.Y, r, out var nx, out var ny, out var depth)) continue;
            robot.X += nx * depth;
            robot.Y += ny * depth;
            StopAlong(robot, nx, ny);
            hit = true;
        }
        if (hit) robot.Collisions++;
    }

    private void CollideRobots()
    {
        for (var i = 0; i < _robots.Length; i++)
        {
            for (var j = i + 1; j < _robots.Length; j++)
            {
                var a = _robots[i];
                var o = _robots[j];
                var dx = o.X - a.X;
                var dy = o.Y - a.Y;
                var min = a.Radius + o.Radius;
                var dist2 = dx * dx + dy * dy;
                if (dist2 >= min * min) continue;
                var dist = Math.Sqrt(dist2);
                var (nx, ny) = dist > 1e-12 ? (dx / dist, dy / dist) : (1.0, 0.0);
                var half = (min - dist) / 2;
                a.X -= nx * half;
                a.Y -= ny * half;
                o.X += nx * half;
                o.Y += ny * half;
                StopAlong(a, -nx, -ny);
                StopAlong(o, nx, ny);
                a.Collisions++;
                o.Collisions++;
            }
        }
    }

    /// <summary>Removes the part of the robot's velocity that points into a surface whose outward normal is (nx, ny).</summary>
    private static void StopAlong(Robot robot, double nx, double ny)
    {
        var (sin, cos) = Math.SinCos(robot.Yaw);
        var wx = cos * robot.Vx - sin * robot.Vy;
        var wy = sin * robot.Vx + cos * robot.Vy;
        var into = wx * nx + wy * ny;
        if (into >= 0) return;
        wx -= into * nx;
        wy -= into * ny;
        robot.Vx = cos * wx + sin * wy;
        robot.Vy = -sin * wx + cos * wy;
    }

    public static double WrapAngle(double a)
    {
        a = Math.IEEERemainder(a, 2 * Math.PI);
        return a <= -Math.PI ? a + 2 * Math.PI : a;
    }
}
