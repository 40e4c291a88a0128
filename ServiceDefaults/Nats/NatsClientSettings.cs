namespace Platform.ServiceDefaults.Nats;

/// <summary>The settings of <c>AddNatsClient</c>, named as Aspire.NATS.Net names them (bound from <c>Aspire:Nats:Client</c>).</summary>
public sealed class NatsClientSettings
{
    /// <summary><c>nats://host:port</c>; <c>ConnectionStrings:{name}</c> wins when set.</summary>
    public string? ConnectionString { get; set; }

    public bool DisableHealthChecks { get; set; }

    public bool DisableTracing { get; set; }

    /// <summary>Subject patterns (NATS wildcards) whose publishes and receives get no span, e.g. high-rate data streams.</summary>
    public IList<string> UntracedSubjects { get; set; } = [];

    public bool DisableMetrics { get; set; }
}
