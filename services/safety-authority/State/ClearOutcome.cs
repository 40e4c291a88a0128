namespace Platform.SafetyAuthority.State;

public enum ClearOutcome
{
    /// <summary>The latch is released; the mode follows the gates (ARMED when none is active).</summary>
    Cleared,

    /// <summary>Nothing was latched; nothing changed.</summary>
    NotLatched,

    /// <summary>A gate is still active; the ESTOP stays latched.</summary>
    Refused,
}

public readonly record struct ClearResult(ClearOutcome Outcome, string? Reason);
