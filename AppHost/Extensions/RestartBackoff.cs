namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// When to restart a resource that stopped by itself: <see cref="FirstDelay"/> after the first failure, doubling with each
/// failure in a row up to <see cref="MaxDelay"/>; a resource that was healthy for <see cref="ResetAfter"/> starts over.
/// </summary>
public sealed record RestartBackoff(TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan ResetAfter)
{
    public static RestartBackoff Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));

    /// <summary>The wait before restart number <paramref name="attempt"/> (1 for the first restart after a healthy run).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var doublings = Math.Min(attempt - 1, 30);
        var ticks = Math.Min(FirstDelay.Ticks * (1L << doublings), MaxDelay.Ticks);
        return TimeSpan.FromTicks(ticks);
    }
}

/// <summary>Marks a resource that <c>WithRestartOnFailure</c> restarts when it stops without being asked to.</summary>
public sealed record RestartOnFailureAnnotation(RestartBackoff Backoff) : IResourceAnnotation;
