using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Transport.Commands;
using Platform.Transport.Safety;
using Platform.Transport.Sessions;
using Platform.Transport.Signals;
using Platform.Transport.Streaming;
using Platform.Transport.Telemetry;
using Platform.Transport.Video;

namespace Platform.Transport;

public static class TransportHostingExtensions
{
    /// <summary>Registers the transport: options from "Transport" (and "BrowserEdge"), the hubs, the NATS relays and layer 2 (readiness: the nats-subscriptions check of AddNatsClient). It uses the NATS connection AddServiceDefaults registers.</summary>
    public static IHostApplicationBuilder AddTransport(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TransportOptions>().Bind(builder.Configuration.GetSection(TransportOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CommandSequence>();
        services.AddSingleton<CommandPublisher>();
        services.AddSingleton(sp => new VideoGate(sp.GetRequiredService<IOptions<TransportOptions>>().Value.VideoGate, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<VideoGateService>();
        services.AddMetrics();
        services.AddSingleton<TransportMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoGateService>());
        services.AddSingleton<KeyframeRequester>();
        services.AddSingleton<StreamHub>();
        services.AddSingleton<StreamMessageHandler>();
        services.AddSingleton<VideoRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoRelay>());
        services.AddHostedService<TelemetryRelay>();
        services.AddHostedService<SessionTerminator>();
        services.AddSingleton<SchemaCache>();
        services.AddHostedService(sp => sp.GetRequiredService<SchemaCache>());
        services.AddSingleton<CommandAcks>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandAcks>());
        services.AddSingleton<SignalsHub>();
        services.AddHostedService(sp => sp.GetRequiredService<SignalsHub>());
        services.AddSingleton<SignalsCommandHandler>();
        builder.AddBrowserEdge();
        return builder;
    }

    /// <summary>Maps <c>/stream/ws</c> and <c>/ws/signals</c> behind the browser edge (WebSockets, origin policy, connection limit).</summary>
    public static WebApplication MapTransport(this WebApplication app)
    {
        app.UseBrowserEdge();
        app.Map(StreamEndpoint.Path, StreamEndpoint.HandleAsync);
        app.Map(SignalsEndpoint.Path, SignalsEndpoint.HandleAsync);
        return app;
    }
}
