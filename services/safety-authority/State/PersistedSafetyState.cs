namespace Platform.SafetyAuthority.State;

/// <summary>What survives a restart of the authority: the latch and the last state_id (so ids keep growing).</summary>
public sealed record PersistedSafetyState(bool Latched, string? LatchReason, long StateId);
