using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Platform.Encoder.Control;
using Platform.Encoder.Pipeline;

namespace Platform.Encoder.Hosting;

public static class EncoderHostingExtensions
{
    public const string SectionName = "Encoder";

    /// <summary>
    /// The encoder: per-stream pipelines behind the gRPC service, <c>video.*.control</c>, the FFmpeg library probe and the
    /// "encoder" readiness check. Needs an <c>INatsConnection</c> and <c>AddGrpc()</c> (ServiceDefaults registers both).
    /// </summary>
    public static IHostApplicationBuilder AddEncoder(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(SectionName);
        services.Configure<EncoderOptions>(section);
        // Raw frames are large (1080p BGRA is 8 MiB); gRPC's 4 MiB default would refuse them. Only the Encoder
        // service takes them: health and reflection keep the default.
        var maxFrame = section.GetValue<int?>(nameof(EncoderOptions.MaxFrameMessageBytes)) ?? new EncoderOptions().MaxFrameMessageBytes;
        services.AddGrpc().AddServiceOptions<EncoderGrpcService>(o => o.MaxReceiveMessageSize = maxFrame);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EncoderTelemetry>();
        services.AddSingleton<EncoderStreams>();
        services.AddSingleton<MediaLibraryStatus>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaLibraryStatus>());
        services.AddHostedService<VideoControlWorker>();
        services.AddHealthChecks().AddCheck<EncoderReadyCheck>("encoder");
        return builder;
    }
}
