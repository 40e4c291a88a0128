namespace Platform.SimRunner.Engine;

/// <summary>The sim's loop settings, bound from <c>SimRunner</c>.</summary>
public sealed class SimEngineOptions
{
    /// <summary>Physics and safety ticks per second.</summary>
    public int PhysicsHz { get; set; } = 240;

    /// <summary>telemetry.sim.state records per second (decimated from the physics rate).</summary>
    public int TelemetryHz { get; set; } = 60;

    /// <summary>Scenario JSON; empty means the default scenario shipped with the service.</summary>
    public string? ScenarioPath { get; set; }

    /// <summary>Replaces the scenario's seed when set.</summary>
    public int? Seed { get; set; }

    public int MaxStepCount { get; set; } = 10_000;
    public int MaxCommandBytes { get; set; } = 64 * 1024;
}
