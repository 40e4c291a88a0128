using System.Diagnostics.Metrics;
using Platform.Contracts.Subjects;

namespace Platform.SafetyAuthority.Hosting;

/// <summary>The authority's meter, <c>Platform.SafetyAuthority</c> (the application name ServiceDefaults exports).</summary>
public sealed class SafetyAuthorityMetrics(IMeterFactory meterFactory)
{
    public const string MeterName = "Platform.SafetyAuthority";
    private readonly Meter _meter = meterFactory.Create(MeterName);

    /// <summary>
    /// Reports the canonical mode as the <c>safety.mode</c> gauge once the latch has been read back. One number ordered
    /// by severity (as <see cref="SafetyModes.Strictest"/>) rather than a 0/1 gauge per mode: the dashboard plots it as
    /// one line whose height is the mode, and "above 0" reads as "not armed".
    /// </summary>
    public void ObserveMode(SafetyAuthorityState state)
        => _meter.CreateObservableGauge("safety.mode", () => (int)state.Current.Mode, "{mode}",
            "The canonical safety mode: 0 = ARMED, 1 = HOLD, 2 = ESTOP (ordered by severity).");
}
