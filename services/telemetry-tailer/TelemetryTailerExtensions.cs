using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.TelemetryTailer.Publishing;
using Platform.TelemetryTailer.Streaming;
using Platform.TelemetryTailer.Tailing;

namespace Platform.TelemetryTailer;

public static class TelemetryTailerExtensions
{
    /// <summary>Registers the tailer (options from the "TelemetryTailer" and "BrowserEdge" sections), the hub, the WebSocket commands and
    /// publishing on NATS. Needs the NATS client of <c>AddNatsClient</c> (ServiceDefaults).</summary>
    public static IHostApplicationBuilder AddTelemetryTailer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryTailerOptions>().Bind(builder.Configuration.GetSection(TelemetryTailerOptions.SectionName));
        builder.Services.AddSingleton<TelemetryHub>();
        builder.Services.AddSingleton<TelemetryCommands>();
        builder.Services.AddSingleton<DirectoryTailer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DirectoryTailer>());
        builder.Services.AddHealthChecks().AddCheck<TailerHealthCheck>("telemetry-tailer");
        builder.Services.AddSingleton<NatsTelemetryPublisher>();
        builder.Services.AddSingleton<ITelemetrySink>(sp => sp.GetRequiredService<NatsTelemetryPublisher>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NatsTelemetryPublisher>());
        builder.AddBrowserEdge();
        return builder;
    }

    /// <summary>Maps <c>/ws/telemetry</c> behind the browser edge (WebSockets, origin policy, connection limit).</summary>
    public static WebApplication MapTelemetryTailer(this WebApplication app)
    {
        app.UseBrowserEdge();
        app.Map(TelemetryWebSocketEndpoint.Path, TelemetryWebSocketEndpoint.HandleAsync);
        return app;
    }
}
