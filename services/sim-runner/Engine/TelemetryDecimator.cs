namespace Platform.SimRunner.Engine;

/// <summary>Picks which ticks publish telemetry so that <c>telemetryHz</c> of <c>tickHz</c> ticks do, evenly spaced.</summary>
public sealed class TelemetryDecimator(int tickHz, int telemetryHz)
{
    private readonly int _telemetryHz = Math.Clamp(telemetryHz, 1, tickHz);

    /// <summary>True when tick <paramref name="tick"/> (1-based) starts a new telemetry period.</summary>
    public bool ShouldPublish(long tick) => tick * _telemetryHz / tickHz != (tick - 1) * _telemetryHz / tickHz;
}
