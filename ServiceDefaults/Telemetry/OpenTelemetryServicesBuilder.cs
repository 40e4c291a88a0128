using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace Platform.ServiceDefaults.Telemetry;

/// <summary>The <see cref="IOpenTelemetryBuilder"/> that OpenTelemetry.Extensions.Hosting's AddOpenTelemetry() returns.</summary>
internal sealed class OpenTelemetryServicesBuilder(IServiceCollection services) : IOpenTelemetryBuilder
{
    public IServiceCollection Services { get; } = services;
}
