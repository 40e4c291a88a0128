namespace Platform.SafetyAuthority.State;

/// <summary>
/// What survives a restart of the authority: the latch, when it latched (the restarted authority's since_ms still says
/// how long the robot has been stopped) and the last state_id (so ids keep growing).
/// </summary>
public sealed record PersistedSafetyState(bool Latched, string? LatchReason, long StateId, long? LatchedAtMs = null);
