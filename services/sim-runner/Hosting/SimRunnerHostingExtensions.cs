using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.SimRunner.Engine;
using Platform.SimRunner.Safety;
using Platform.SimRunner.Simulation;
using Platform.SimRunner.Video;

namespace Platform.SimRunner.Hosting;

public static class SimRunnerHostingExtensions
{
    public const string SectionName = "SimRunner";

    /// <summary>
    /// The sim: engine (scenario from <c>SimRunner:ScenarioPath</c>, default shipped), real-time loop, NATS inputs and
    /// outputs, JSONL telemetry log and the <c>sim-loop</c> readiness check; with <c>SimRunner:Video:Enabled</c> (the
    /// default) the renderer streaming frames to the encoder. Needs the NATS client of <c>AddNatsClient</c> (ServiceDefaults).
    /// </summary>
    public static IHostApplicationBuilder AddSimRunner(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<SimEngineOptions>(builder.Configuration.GetSection(SectionName));
        services.Configure<Layer3Options>(builder.Configuration.GetSection($"{SectionName}:Safety"));
        services.Configure<TelemetryLogOptions>(builder.Configuration.GetSection($"{SectionName}:TelemetryLog"));
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SimEngineOptions>>().Value;
            var path = string.IsNullOrWhiteSpace(options.ScenarioPath) ? ScenarioLoader.DefaultPath : options.ScenarioPath;
            return new SimEngine(ScenarioLoader.LoadFile(path), options, sp.GetRequiredService<IOptions<Layer3Options>>().Value, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<SimOutbox>();
        services.AddSingleton<SimRunnerMetrics>();
        services.AddSingleton<SimulationLoopService>();
        services.AddHostedService(sp => sp.GetRequiredService<SimulationLoopService>());
        services.AddHostedService<SimNatsListener>();
        services.AddHostedService<SimNatsPublisher>();
        services.AddSingleton<TelemetryLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryLogWriter>());
        services.AddHealthChecks().AddCheck<SimLoopHealthCheck>("sim-loop");
        var video = builder.Configuration.GetSection(VideoOptions.SectionName);
        if (video.GetValue(nameof(VideoOptions.Enabled), true)) services.AddFrameStreaming(video);
        return builder;
    }
}
