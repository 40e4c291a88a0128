using Platform.Contracts.Subjects;
using Platform.SimRunner.Engine;

namespace Platform.SimRunner.Rendering;

/// <summary>A robot's pose as the renderer needs it.</summary>
public readonly record struct RobotPose(double X, double Y, double Yaw, double Radius);

/// <summary>
/// What a frame shows of the moving world, taken whole on the sim thread so a frame never mixes two steps.
/// The static scene (walls, obstacles) is the scenario's and is not copied.
/// </summary>
public sealed record SceneSnapshot(long Step, double SimTime, SafetyMode Mode, bool Paused, RobotPose[] Robots)
{
    /// <summary>Reads the engine; call it on the thread that ticks it.</summary>
    public static SceneSnapshot Capture(SimEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var robots = engine.World.Robots;
        var poses = new RobotPose[robots.Count];
        for (var i = 0; i < poses.Length; i++) poses[i] = new RobotPose(robots[i].X, robots[i].Y, robots[i].Yaw, robots[i].Radius);
        return new SceneSnapshot(engine.World.StepCount, engine.World.Time, engine.Safety.Mode, engine.Paused, poses);
    }
}
