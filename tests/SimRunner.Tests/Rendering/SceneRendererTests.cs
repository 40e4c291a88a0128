using Platform.Contracts.Subjects;
using Platform.SimRunner.Engine;
using Platform.SimRunner.Rendering;
using Platform.SimRunner.Safety;

namespace Platform.SimRunner.Tests.Rendering;

public sealed class SceneRendererTests
{
    private static SimEngine DefaultEngine() => new(TestScenarios.Default(), new SimEngineOptions(), new Layer3Options());

    private static I420Canvas Render(SceneRenderer renderer, SceneSnapshot scene, long frameId = 1)
    {
        var canvas = new I420Canvas(renderer.Width, renderer.Height);
        renderer.Render(canvas, scene, frameId);
        return canvas;
    }

    private static YuvColor At(I420Canvas canvas, PointD p) => canvas.GetPixel((int)p.X, (int)p.Y);

    /// <summary>A point <paramref name="ahead"/> robot radii in front of the robot (negative: behind), in pixels.</summary>
    private static PointD OnRobot(SceneRenderer renderer, RobotPose pose, double ahead)
        => renderer.View.ToPixel(pose.X + Math.Cos(pose.Yaw) * pose.Radius * ahead, pose.Y + Math.Sin(pose.Yaw) * pose.Radius * ahead);

    [Theory]
    [InlineData(320, 180)]
    [InlineData(640, 360)]
    [InlineData(1280, 720)]
    [InlineData(1920, 1080)]
    public void TheRobotIsDrawnInItsColourWhereItIsAtEverySize(int width, int height)
    {
        var engine = DefaultEngine();
        var scene = SceneSnapshot.Capture(engine);
        var renderer = new SceneRenderer(engine.World.Scenario, width, height);
        var canvas = Render(renderer, scene);
        Assert.Equal(width * height * 3 / 2, renderer.FrameSize);

        var pose = scene.Robots[0];
        // Behind the centre (the heading triangle is ahead of it): the body colour in all three planes.
        Assert.Equal(SceneRenderer.RobotColour(0), At(canvas, OnRobot(renderer, pose, -0.45)));
        // Ahead of the centre: the white heading triangle.
        Assert.Equal(YuvColor.FromRgb(255, 255, 255).Y, At(canvas, OnRobot(renderer, pose, 0.6)).Y);

        // The whole arena fits below the HUD.
        var b = engine.World.Scenario.Bounds;
        var topLeft = renderer.View.ToPixel(b.MinX, b.MaxY);
        var bottomRight = renderer.View.ToPixel(b.MaxX, b.MinY);
        Assert.InRange(topLeft.X, 0, width);
        Assert.InRange(topLeft.Y, renderer.View.HudHeight, height);
        Assert.InRange(bottomRight.X, topLeft.X + 1, width);
        Assert.InRange(bottomRight.Y, topLeft.Y + 1, height);
    }

    [Fact]
    public void TheRobotMovesWhenTheWorldDoesAndLeavesATrail()
    {
        var engine = DefaultEngine();
        var renderer = new SceneRenderer(engine.World.Scenario, 1280, 720);
        var robot = engine.World.Robots[0];
        robot.X = -1;
        robot.Y = 3;
        var before = SceneSnapshot.Capture(engine);
        var first = Render(renderer, before);
        var oldSpot = OnRobot(renderer, before.Robots[0], -0.45);
        Assert.Equal(SceneRenderer.RobotColour(0), At(first, oldSpot));

        // Frames while it drives 2 m along +x.
        SceneSnapshot after = before;
        I420Canvas last = first;
        for (var i = 1; i <= 20; i++)
        {
            robot.X = -1 + i * 0.1;
            after = SceneSnapshot.Capture(engine);
            last = Render(renderer, after, i + 1);
        }
        Assert.Equal(SceneRenderer.RobotColour(0), At(last, OnRobot(renderer, after.Robots[0], -0.45)));
        Assert.NotEqual(SceneRenderer.RobotColour(0), At(last, oldSpot));

        // The path it took (at x = -0.5, y = 3) is drawn as the trail colour.
        var trail = renderer.View.ToPixel(-0.5, 3);
        Assert.Equal(SceneRenderer.TrailColour(0), At(last, trail));
        Assert.NotEqual(At(first, trail), At(last, trail));
    }

    [Fact]
    public void TheHudShowsTheSafetyModeAndPause()
    {
        var engine = DefaultEngine();
        var renderer = new SceneRenderer(engine.World.Scenario, 1280, 720);
        var armed = SceneSnapshot.Capture(engine) with { Mode = SafetyMode.Armed };
        var hudBytes = renderer.View.HudHeight * renderer.Width;

        var a = Render(renderer, armed).YPlane[..hudBytes].ToArray();
        var estopCanvas = Render(renderer, armed with { Mode = SafetyMode.Estop });
        var e = estopCanvas.YPlane[..hudBytes].ToArray();
        var h = Render(renderer, armed with { Mode = SafetyMode.Hold }).YPlane[..hudBytes].ToArray();
        var p = Render(renderer, armed with { Paused = true }).YPlane[..hudBytes].ToArray();
        Assert.NotEqual(a, e);
        Assert.NotEqual(a, h);
        Assert.NotEqual(e, h);
        Assert.NotEqual(a, p);

        // The badge at the right end of the HUD is the mode's colour.
        Assert.Equal(SceneRenderer.ModeColour(SafetyMode.Estop), estopCanvas.GetPixel(renderer.Width - 8, 2));
        // Below the HUD nothing changed.
        Assert.Equal(Render(renderer, armed).YPlane[hudBytes..].ToArray(), estopCanvas.YPlane[hudBytes..].ToArray());
    }

    [Fact]
    public void TheHudShowsTheFrameNumber()
    {
        var engine = DefaultEngine();
        var renderer = new SceneRenderer(engine.World.Scenario, 640, 360);
        var scene = SceneSnapshot.Capture(engine);
        var hudBytes = renderer.View.HudHeight * renderer.Width;
        Assert.NotEqual(Render(renderer, scene, 1).YPlane[..hudBytes].ToArray(), Render(renderer, scene, 2).YPlane[..hudBytes].ToArray());
    }

    [Fact]
    public void StaticSceneShowsWallsObstaclesAndFloor()
    {
        var engine = DefaultEngine();
        var renderer = new SceneRenderer(engine.World.Scenario, 1280, 720);
        var canvas = Render(renderer, SceneSnapshot.Capture(engine));
        var v = renderer.View;
        var floor = At(canvas, v.ToPixel(3.7, -3.7));
        var pillar = At(canvas, v.ToPixel(2.5, 1.0));       // circle obstacle centre
        var crate = At(canvas, v.ToPixel(-2.5, -2.0));      // box obstacle centre
        var wallPixel = v.ToPixel(-5, 0);
        var wall = canvas.GetPixel((int)wallPixel.X - 2, (int)wallPixel.Y);
        var outside = canvas.GetPixel(2, 700);
        Assert.Equal(pillar, crate);
        Assert.Equal(4, new[] { floor, pillar, wall, outside }.Distinct().Count());
    }

    [Fact]
    public void AResetClearsTheTrails()
    {
        var engine = DefaultEngine();
        var renderer = new SceneRenderer(engine.World.Scenario, 640, 360);
        var robot = engine.World.Robots[0];
        for (var i = 0; i < 10; i++)
        {
            robot.X = -4 + i * 0.2;
            robot.Y = 4;
            engine.World.Step();
            Render(renderer, SceneSnapshot.Capture(engine));
        }
        var trailSpot = renderer.View.ToPixel(-3.5, 4);
        engine.World.Reset(engine.World.Seed);
        var afterReset = Render(renderer, SceneSnapshot.Capture(engine));
        var fresh = Render(new SceneRenderer(engine.World.Scenario, 640, 360), SceneSnapshot.Capture(engine));
        Assert.Equal(At(fresh, trailSpot), At(afterReset, trailSpot));
    }
}
