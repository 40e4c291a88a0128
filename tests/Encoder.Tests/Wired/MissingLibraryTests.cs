using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Platform.Encoder.Hosting;
using Platform.Encoder.Pipeline;
using NATS.Client.Core;
using Platform.Contracts.Subjects;
using Platform.Media;
using Platform.TestSupport;
using EncoderClient = Platform.Contracts.Encoder.V1.Encoder.EncoderClient;

namespace Platform.Encoder.Tests.Wired;

/// <summary>A machine without libavcodec: the service starts, says why once, reports Unhealthy, refuses Ingest and answers control requests with the reason.</summary>
public sealed class MissingLibraryTests
{
    [Fact]
    public async Task Without_libavcodec_the_service_runs_unhealthy_and_refuses_Ingest_with_the_reason()
    {
        const string reason = "FFmpeg library libavcodec.so.59 could not be loaded from the default library path. Install the Debian packages libavcodec59 libavutil57 libswscale6";
        await using var server = await NatsServer.StartAsync();
        await using var host = await EncoderHost.StartAsync(server.Url, configure: services => services.AddSingleton(sp =>
            new MediaLibraryStatus(sp.GetRequiredService<ILogger<MediaLibraryStatus>>(), () => throw new MediaLibraryException(reason))));

        var health = await host.Get<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Entries["encoder"].Status);
        Assert.Equal(reason, health.Entries["encoder"].Description);
        var errors = host.Logs.Lines.Where(l => l.Level == LogLevel.Error && l.Category.StartsWith("Platform.", StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        Assert.Contains("libavcodec59", errors[0].Message, StringComparison.Ordinal);

        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        using var call = IngestCall.Start(new EncoderClient(channel));
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.SendAsync(TestFrames.I420("main", 0));
            await call.CompleteAsync();
        });
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("libavcodec59", ex.Status.Detail, StringComparison.Ordinal);

        // The transport asks on video.<stream>.control and shows viewers the answer: it names the missing packages.
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        await EncoderHost.WaitForControlAsync(nats);
        var reply = await nats.RequestAsync<byte[], byte[]>(SubjectNames.VideoControl("main"), """{"keyframe":true}"""u8.ToArray(),
            replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(5) });
        var error = JsonSerializer.Deserialize(reply.Data, SubjectsJsonContext.Default.VideoControlReply)!.Error;
        Assert.StartsWith("the encoder cannot encode: ", error, StringComparison.Ordinal);
        Assert.Contains("libavcodec59", error, StringComparison.Ordinal);
    }
}
