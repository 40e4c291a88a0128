using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using NATS.Client.Core;
using NATS.Client.OpenTelemetry;
using NATS.Extensions.Microsoft.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Platform.ServiceDefaults.Nats;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>builder.AddNatsClient("nats")</c> with the shape of Aspire.NATS.Net's (not served here), on NATS.Net's own DI
/// package, so that moving to Aspire's component later is a package change.
/// </summary>
public static class NatsClientExtensions
{
    /// <summary>Aspire's configuration section for the component's settings.</summary>
    public const string DefaultConfigSectionName = "Aspire:Nats:Client";

    /// <summary>Name of the connection's health check.</summary>
    public const string HealthCheckName = "nats";

    /// <summary>Name of the check that is healthy once every <see cref="NatsSubscriptionLoop"/> subscription is in place.</summary>
    public const string SubscriptionsHealthCheckName = "nats-subscriptions";

    /// <summary>
    /// Registers <see cref="INatsConnection"/> (one pooled <see cref="NatsConnection"/>) from <c>ConnectionStrings:{connectionName}</c>,
    /// named after the service and connecting in the background from host start (retrying, never blocking the host);
    /// the <c>nats</c> health check (open: healthy, connecting or reconnecting: degraded); NATS.Net's spans and metrics
    /// (which carry <c>traceparent</c>/<c>tracestate</c> in the message headers); and <see cref="NatsSubscriptionLoop"/>.
    /// </summary>
    public static IHostApplicationBuilder AddNatsClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NatsClientSettings>? configureSettings = null,
        Func<NatsOpts, NatsOpts>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);
        var settings = new NatsClientSettings();
        builder.Configuration.GetSection(DefaultConfigSectionName).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { } connectionString) settings.ConnectionString = connectionString;
        configureSettings?.Invoke(settings);
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
            throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not set: give the service a NATS URL (nats://host:port), e.g. WithReference(nats) in the AppHost or ConnectionStrings__{connectionName} in the environment.");

        var name = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        builder.Services.AddNatsClient(nats => nats.ConfigureOptions(o => o.Configure(opts =>
        {
            var configured = opts.Opts with { Url = settings.ConnectionString, Name = name, RetryOnInitialConnect = true };
            opts.Opts = configureOptions?.Invoke(configured) ?? configured;
        })));
        builder.Services.AddHostedService<NatsConnectionStarter>();
        builder.Services.AddSingleton<NatsSubscriptionLoop>();

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks()
                .AddCheck<NatsHealthCheck>(HealthCheckName)
                .AddCheck<NatsSubscriptionsHealthCheck>(SubscriptionsHealthCheckName);
        }
        if (!settings.DisableTracing)
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddNatsClientInstrumentation(options =>
            {
                if (settings.UntracedSubjects.Count > 0) options.FilterSubjects([], [.. settings.UntracedSubjects]);
            }));
        if (!settings.DisableMetrics)
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddNatsClientInstrumentation());
        return builder;
    }

    /// <summary>Starts connecting when the host starts, without making the host wait for NATS.</summary>
    private sealed class NatsConnectionStarter(INatsConnection connection) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            // RetryOnInitialConnect keeps this going until the server answers; the client logs each failed try.
            _ = connection.ConnectAsync().AsTask().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Aspire.NATS.Net's check: open is healthy, on the way to open is degraded, closed or failed is the failure status.</summary>
    private sealed class NatsHealthCheck(INatsConnection connection) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
            => Task.FromResult(connection.ConnectionState switch
            {
                NatsConnectionState.Open => HealthCheckResult.Healthy("NATS connection open"),
                NatsConnectionState.Connecting or NatsConnectionState.Reconnecting => HealthCheckResult.Degraded($"NATS connection is {connection.ConnectionState}"),
                var state => new HealthCheckResult(context.Registration.FailureStatus, $"NATS connection is {state}"),
            });
    }

    private sealed class NatsSubscriptionsHealthCheck(NatsSubscriptionLoop subscriptions) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
            => Task.FromResult(subscriptions.Down is { Count: > 0 } down
                ? new HealthCheckResult(context.Registration.FailureStatus, "NATS subscriptions not up: " + string.Join(", ", down))
                : HealthCheckResult.Healthy("NATS subscriptions up"));
    }
}
