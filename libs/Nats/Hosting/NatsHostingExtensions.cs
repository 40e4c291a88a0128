using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Nats;

/// <summary>Registers a NATS client the way Aspire.NATS.Net does (<c>builder.AddNatsClient("nats")</c>).</summary>
public static class NatsHostingExtensions
{
    /// <summary>Name of the health check this registers.</summary>
    public const string HealthCheckName = "nats";

    /// <summary>
    /// Reads <c>ConnectionStrings:{connectionName}</c>, registers <see cref="INatsConnection"/> as a singleton that connects
    /// in the background (retrying with backoff; host start never waits on it), and a health check named "nats" that is
    /// Healthy only while the connection is open.
    /// </summary>
    public static IHostApplicationBuilder AddNatsClient(this IHostApplicationBuilder builder, string connectionName, Action<NatsOpts>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not set: give the service a NATS URL (nats://host:port), e.g. WithReference(nats) in the AppHost or ConnectionStrings__{connectionName} in the environment.");

        builder.Services.AddSingleton<INatsConnection>(services =>
        {
            var opts = NatsOpts.Default;
            opts.Url = connectionString;
            opts.Name = builder.Environment.ApplicationName;
            opts.RetryOnInitialConnect = true;
            opts.LoggerFactory = services.GetRequiredService<ILoggerFactory>();
            configure?.Invoke(opts);
            return new NatsConnection(opts);
        });
        builder.Services.AddHostedService<NatsConnectionStarter>();
        builder.Services.AddHealthChecks().AddCheck<NatsHealthCheck>(HealthCheckName);
        return builder;
    }
}
