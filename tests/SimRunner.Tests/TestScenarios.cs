using Platform.SimRunner.Simulation;

namespace Platform.SimRunner.Tests;

internal static class TestScenarios
{
    /// <summary>An open 20 m room with one robot at the origin and no jitter, so expected poses are exact.</summary>
    public static ScenarioDefinition Open(int robots = 1, double jitter = 0) => new(
        "open", 7, new Bounds(-10, -10, 10, 10), [],
        [.. Enumerable.Range(0, robots).Select(i => new RobotDefinition($"robot{i}", i * 1.0, 0))],
        jitter, jitter);

    public static ScenarioDefinition Default() => ScenarioLoader.LoadFile(ScenarioLoader.DefaultPath);
}
