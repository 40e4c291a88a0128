namespace Platform.Transport.Safety;

/// <summary>Layer-2 safety (ARCHITECTURE.md section 8), bound from "Transport:VideoGate".</summary>
public sealed class VideoGateOptions
{
    /// <summary>The stream whose frames prove the operator can see: <c>video.&lt;Stream&gt;.live</c>.</summary>
    public string Stream { get; set; } = "main";

    /// <summary>A motion command while the newest frame is older than this: one zero velocity, HOLD, motion dropped.</summary>
    public int HoldAfterMs { get; set; } = 1000;

    /// <summary>Older than this: one estop.</summary>
    public int EstopAfterMs { get; set; } = 5000;

    /// <summary>How often a HOLD is checked for escalation without waiting for the next command.</summary>
    public int EvaluateIntervalMs { get; set; } = 100;
}
