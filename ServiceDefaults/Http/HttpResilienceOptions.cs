namespace Platform.ServiceDefaults.Http;

/// <summary>The standard HttpClient resilience settings (Microsoft.Extensions.Http.Resilience's defaults), section "Resilience:Http".</summary>
public sealed class HttpResilienceOptions
{
    public const string SectionName = "Resilience:Http";

    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
