namespace Platform.SimRunner.Safety;

/// <summary>Layer-3 deadlines (ARCHITECTURE.md section 8), bound from <c>SimRunner:Safety</c>.</summary>
public sealed class Layer3Options
{
    /// <summary>No set_cmd_vel for this long → HOLD with velocity decay.</summary>
    public int CmdTtlHoldMs { get; set; } = 200;

    /// <summary>No set_cmd_vel for this long → ESTOP (latched, velocity 0 at once).</summary>
    public int CmdTtlEstopMs { get; set; } = 2000;

    /// <summary>No safety.state from the authority for this long → HOLD.</summary>
    public int AuthorityTimeoutMs { get; set; } = 1500;

    /// <summary>Velocity factor applied every tick in HOLD.</summary>
    public double DecayFactor { get; set; } = 0.5;

    /// <summary>In HOLD, a velocity whose largest component is below this becomes 0.</summary>
    public double StopBelow { get; set; } = 0.01;
}
