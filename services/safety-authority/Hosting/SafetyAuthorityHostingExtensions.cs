using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.SafetyAuthority.Hosting;

public static class SafetyAuthorityHostingExtensions
{
    public const string SectionName = "SafetyAuthority";

    /// <summary>The canonical safety state, its NATS worker and KV latch, and a readiness check that waits for the latch to be read back.</summary>
    public static IHostApplicationBuilder AddSafetyAuthority(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<SafetyAuthorityOptions>(builder.Configuration.GetSection(SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ILatchStore, LatchStore>();
        services.AddSingleton<SafetyAuthorityState>();
        services.AddMetrics();
        services.AddSingleton<SafetyAuthorityMetrics>();
        services.AddHostedService<SafetyAuthorityWorker>();
        services.AddHealthChecks().AddCheck<SafetyAuthorityReadyCheck>("safety-state");
        return builder;
    }
}
