using Platform.SimRunner.Signals;

namespace Platform.SimRunner.Engine;

/// <summary>The sim's signals: one module per robot, plus <c>sim</c> and <c>safety</c>.</summary>
internal static class SignalCatalog
{
    public static void Register(SignalRegistry registry, SimEngine engine)
    {
        foreach (var robot in engine.World.Robots)
        {
            var m = robot.Name;
            // The pose is writable (a teleport); velocities are not, so `set` can never bypass the safety gates.
            registry.Register(m, "x", "m", () => robot.X, v => robot.X = v);
            registry.Register(m, "y", "m", () => robot.Y, v => robot.Y = v);
            registry.Register(m, "yaw", "rad", () => robot.Yaw, v => robot.Yaw = Simulation.World.WrapAngle(v));
            registry.Register(m, "vx", "m/s", () => robot.Vx);
            registry.Register(m, "vy", "m/s", () => robot.Vy);
            registry.Register(m, "wz", "rad/s", () => robot.Wz);
            registry.Register(m, "cmd_vx", "m/s", () => robot.CmdVx);
            registry.Register(m, "cmd_vy", "m/s", () => robot.CmdVy);
            registry.Register(m, "cmd_wz", "rad/s", () => robot.CmdWz);
            registry.Register(m, "collisions", "count", () => robot.Collisions);
        }
        registry.Register("sim", "step", "count", () => engine.World.StepCount);
        registry.Register("sim", "time", "s", () => engine.World.Time);
        registry.Register("sim", "tick", "count", () => engine.Ticks);
        registry.Register("sim", "paused", "bool", () => engine.Paused ? 1 : 0);
        registry.Register("sim", "physics_hz", "Hz", () => engine.Options.PhysicsHz);
        registry.Register("safety", "mode", "enum(0=ARMED,1=HOLD,2=ESTOP)", () => (int)engine.Safety.Mode);
        registry.Register("safety", "latched", "bool", () => engine.Safety.Latched ? 1 : 0);
        registry.Register("safety", "cmd_age", "s", () => engine.Safety.CmdAgeMs / 1000.0);
        registry.Register("safety", "authority_age", "s", () => engine.Safety.AuthorityAgeMs / 1000.0);
    }
}
