using Platform.SimRunner.Simulation;

namespace Platform.SimRunner.Tests;

public sealed class WorldTests
{
    [Fact]
    public void VelocityRisesAtMostByTheAccelerationLimitEachStep()
    {
        var world = new World(TestScenarios.Open(), 240);
        var robot = world.Robots[0];
        robot.Command(1.0, 0, 1.0);
        world.Step();
        Assert.Equal(2.0 / 240, robot.Vx, 12);
        Assert.Equal(4.0 / 240, robot.Wz, 12);
        for (var i = 0; i < 240; i++) world.Step();
        Assert.Equal(1.0, robot.Vx, 12);
        Assert.Equal(1.0, robot.Wz, 12);
    }

    [Fact]
    public void CommandsAreClampedToTheSpeedLimits()
    {
        var world = new World(TestScenarios.Open(), 240);
        var robot = world.Robots[0];
        robot.Command(3, 4, 10);
        Assert.Equal(1.5, Math.Sqrt(robot.CmdVx * robot.CmdVx + robot.CmdVy * robot.CmdVy), 12);
        Assert.Equal(0.9, robot.CmdVx, 12);
        Assert.Equal(2.0, robot.CmdWz, 12);
    }

    [Fact]
    public void BodyFrameVelocityMovesTheRobotAlongItsHeading()
    {
        var world = new World(TestScenarios.Open(), 240);
        var robot = world.Robots[0];
        robot.Yaw = Math.PI / 2;
        robot.ForceVelocity(1.0, 0, 0);
        for (var i = 0; i < 240; i++) world.Step();
        Assert.Equal(0, robot.X, 9);
        Assert.Equal(1.0, robot.Y, 9);
        Assert.Equal(1.0, world.Time, 12);
        Assert.Equal(240, world.StepCount);

        robot.ForceVelocity(0, 0.5, 0); // holonomic: sideways (body +y is world -x at yaw 90°)
        for (var i = 0; i < 240; i++) world.Step();
        Assert.Equal(-0.5, robot.X, 9);
    }

    [Fact]
    public void WallsStopTheRobotInsideTheBounds()
    {
        var world = new World(TestScenarios.Open(), 240);
        var robot = world.Robots[0];
        robot.ForceVelocity(1.5, 0, 0);
        for (var i = 0; i < 240 * 10; i++) world.Step();
        Assert.Equal(10 - robot.Radius, robot.X, 9);
        Assert.True(robot.Collisions > 0);
        Assert.Equal(0, robot.Vx, 9);
    }

    [Fact]
    public void CircleAndBoxObstaclesAreSolid()
    {
        var scenario = TestScenarios.Open() with
        {
            Obstacles = [new ObstacleDefinition("circle", 3, 0, Radius: 0.5), new ObstacleDefinition("box", 0, 3, Width: 2, Height: 1)],
        };
        var world = new World(scenario, 240);
        var robot = world.Robots[0];
        robot.ForceVelocity(1.0, 0, 0);
        for (var i = 0; i < 240 * 5; i++) world.Step();
        Assert.Equal(3 - 0.5 - robot.Radius, robot.X, 6);
        Assert.True(robot.Collisions > 0);

        world.Reset(7);
        robot.Yaw = Math.PI / 2;
        robot.ForceVelocity(1.0, 0, 0);
        for (var i = 0; i < 240 * 5; i++) world.Step();
        Assert.Equal(3 - 0.5 - robot.Radius, robot.Y, 6);
    }

    [Fact]
    public void RobotsDoNotOverlapEachOther()
    {
        var world = new World(TestScenarios.Open(robots: 2), 240);
        var (a, b) = (world.Robots[0], world.Robots[1]);
        a.ForceVelocity(1.0, 0, 0);
        for (var i = 0; i < 240 * 2; i++) world.Step();
        var gap = Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2));
        Assert.True(gap >= a.Radius + b.Radius - 1e-9, $"robots overlap: centres {gap} m apart");
        Assert.True(a.Collisions > 0 && b.Collisions > 0);
    }

    [Fact]
    public void TheSeedDecidesTheStartAndResetReturnsToIt()
    {
        var scenario = TestScenarios.Open(robots: 3, jitter: 0.2);
        var one = new World(scenario, 240, seed: 1);
        var same = new World(scenario, 240, seed: 1);
        var other = new World(scenario, 240, seed: 2);
        Assert.Equal(Poses(one), Poses(same));
        Assert.NotEqual(Poses(one), Poses(other));

        var start = Poses(one);
        one.Robots[0].ForceVelocity(1, 0, 1);
        for (var i = 0; i < 100; i++) one.Step();
        Assert.NotEqual(start, Poses(one));
        one.Reset(1);
        Assert.Equal(start, Poses(one));
        Assert.Equal(0, one.StepCount);
    }

    [Fact]
    public void SameSeedAndCommandsGiveABitIdenticalTrajectory()
    {
        var scenario = TestScenarios.Default();
        static List<(double, double, double)> Run(ScenarioDefinition scenario)
        {
            var world = new World(scenario, 240, seed: 99);
            var trace = new List<(double, double, double)>();
            for (var i = 0; i < 240 * 8; i++)
            {
                if (i % 120 == 0) world.Robots[0].Command(Math.Sin(i) * 1.5, Math.Cos(i * 0.7), (i % 3) - 1.0);
                world.Step();
                var r = world.Robots[0];
                trace.Add((r.X, r.Y, r.Yaw));
            }
            return trace;
        }
        var first = Run(scenario);
        var second = Run(scenario);
        Assert.Equal(first, second);
        Assert.NotEqual(first[0], first[^1]);
    }

    [Fact]
    public void AnglesWrapIntoMinusPiToPi()
    {
        Assert.Equal(Math.PI, World.WrapAngle(-Math.PI), 12);
        Assert.Equal(-Math.PI / 2, World.WrapAngle(3 * Math.PI / 2), 12);
        Assert.Equal(0.5, World.WrapAngle(0.5 + 4 * Math.PI), 12);
    }

    private static List<(double, double, double)> Poses(World w) => [.. w.Robots.Select(r => (r.X, r.Y, r.Yaw))];
}
