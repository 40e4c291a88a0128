namespace Aspire.Hosting.Orchestration;

/// <summary>States a resource instance goes through (Aspire's names, plus the crash loop).</summary>
public static class KnownResourceStates
{
    public const string NotStarted = "NotStarted";
    public const string Waiting = "Waiting";
    public const string Starting = "Starting";
    public const string Running = "Running";
    public const string Restarting = "Restarting";
    public const string CrashLoopBackOff = "CrashLoopBackOff";
    public const string FailedToStart = "FailedToStart";
    public const string Stopping = "Stopping";
    public const string Finished = "Finished";
}

public static class HealthStatus
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";
}

public sealed record ResourceEndpointSnapshot(string Name, string Url, string Transport, bool IsExternal);

/// <summary>What the dashboard and the tests see of one instance (replica) of a resource.</summary>
public sealed record ResourceSnapshot(
    string Name,
    string ResourceName,
    string ResourceType,
    int Replica,
    string State,
    string? HealthStatus,
    int? Pid,
    int RestartCount,
    int? ExitCode,
    DateTimeOffset? StartedAt,
    string? Message,
    IReadOnlyList<ResourceEndpointSnapshot> Endpoints,
    IReadOnlyList<string> WaitsFor)
{
    public bool IsHealthy => State == KnownResourceStates.Running && HealthStatus == Orchestration.HealthStatus.Healthy;
}
