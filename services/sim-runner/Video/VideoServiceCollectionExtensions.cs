using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Contracts.Encoder.V1;
using Platform.SimRunner.Rendering;

namespace Platform.SimRunner.Video;

public static class VideoServiceCollectionExtensions
{
    /// <summary>
    /// The renderer and frame streamer: options from <paramref name="section"/> (validated at start), the scene snapshots
    /// the sim loop captures, the encoder's gRPC client (its address resolved through service discovery) and the
    /// <see cref="FrameStreamer"/>. Needs the <c>SimEngine</c>, <c>SimRunnerMetrics</c> and a <c>TimeProvider</c>.
    /// </summary>
    public static IServiceCollection AddFrameStreaming(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<VideoOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VideoOptions>, VideoOptionsValidator>();
        services.AddSingleton<SceneSnapshotSource>();
        services.AddServiceGrpcClient<Encoder.EncoderClient>(Encoder.Descriptor, sp => sp.GetRequiredService<IOptions<VideoOptions>>().Value.EncoderAddress);
        services.AddSingleton<FrameStreamer>();
        services.AddHostedService(sp => sp.GetRequiredService<FrameStreamer>());
        return services;
    }
}
