using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry tracer, meter and logger providers. OpenTelemetry.Extensions.Hosting is not in the registry
/// here, so <see cref="OpenTelemetryServicesBuilder"/> and <see cref="TelemetryHostedService"/> stand in for its
/// AddOpenTelemetry(); the instrumentation packages are replaced by the framework's own ActivitySources and Meters.
/// </summary>
public static class OpenTelemetryExtensions
{
    /// <summary>ActivitySources of the framework and of our libraries that every service traces.</summary>
    public static readonly string[] TracingSources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
    ];

    /// <summary>Meters of the framework and of our libraries that every service exports.</summary>
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "System.Net.Http",
        "System.Runtime",
    ];

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var otel = new OpenTelemetryServicesBuilder(builder.Services)
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddMeter(builder.Environment.ApplicationName))
            .WithTracing(tracing => tracing
                .AddSource(TracingSources)
                .AddSource(builder.Environment.ApplicationName));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();

        builder.Services.AddHostedService<TelemetryHostedService>();
        return builder;
    }
}
