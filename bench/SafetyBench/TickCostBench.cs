using System.Diagnostics;
using Platform.Contracts.Subjects;
using Platform.SimRunner.Commands;
using Platform.SimRunner.Engine;
using Platform.SimRunner.Safety;
using Platform.SimRunner.Simulation;

namespace Platform.SafetyBench;

/// <summary>
/// The sim loop's CPU cost per tick (commands in, safety, physics with collisions, telemetry snapshot at 60 Hz)
/// at a given number of robots, measured back to back without the real-time wait.
/// </summary>
internal static class TickCostBench
{
    public static double MeasureMicroseconds(int robots, int physicsHz, TimeSpan budget)
    {
        var side = (int)Math.Ceiling(Math.Sqrt(robots));
        var scenario = new ScenarioDefinition(
            $"bench-{robots}", 3, new Bounds(-side, -side, side, side),
            [new ObstacleDefinition("circle", 0.5, 0.5, Radius: 0.2), new ObstacleDefinition("box", -0.5, -0.5, Width: 0.3, Height: 0.3)],
            [.. Enumerable.Range(0, robots).Select(i => new RobotDefinition($"robot{i}", -side + 1 + 2 * (i % side), -side + 1 + 2 * (i / side), Radius: 0.3))],
            StartJitterM: 0.1, StartJitterRad: 0.1);
        var engine = new SimEngine(scenario, new SimEngineOptions { PhysicsHz = physicsHz }, new Layer3Options());
        var decimator = new TelemetryDecimator(physicsHz, 60);
        var output = new EngineOutput();
        var random = new Random(5);
        long seq = 0;
        var robotNames = engine.World.Robots.Select(r => r.Name).ToArray();

        void RunTicks(long count)
        {
            for (long i = 0; i < count; i++)
            {
                if (engine.Ticks % 12 == 0)
                {
                    // 20 Hz operator heartbeat per robot, and the authority at 2 Hz.
                    foreach (var name in robotNames)
                        engine.Post(new SetCmdVelCommand(++seq, "bench", null, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, name));
                    if (engine.Ticks % 120 == 0) engine.Post(new SafetyStateMessage(seq, SafetyMode.Armed, "ok", 0, []));
                }
                output.Clear();
                engine.Tick(output);
                if (decimator.ShouldPublish(engine.Ticks)) _ = engine.Snapshot();
            }
        }

        RunTicks(physicsHz); // warm-up: JIT and the first second of the sim
        var clock = Stopwatch.StartNew();
        long ticks = 0;
        while (clock.Elapsed < budget)
        {
            RunTicks(100);
            ticks += 100;
        }
        return clock.Elapsed.TotalMicroseconds / ticks;
    }
}
