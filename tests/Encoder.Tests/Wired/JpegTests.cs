using Grpc.Net.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.TestSupport;
using EncoderClient = Platform.Contracts.Encoder.V1.Encoder.EncoderClient;

namespace Platform.Encoder.Tests.Wired;

/// <summary>An encoder configured for JPEG (Encoder:ForceJpeg), and one whose H.264 list names no usable encoder.</summary>
public sealed class JpegTests
{
    [Fact]
    public async Task ForceJpeg_publishes_jpeg_keyframes_that_ffprobe_decodes()
    {
        await using var server = await NatsServer.StartAsync();
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        await nats.ConnectAsync();
        await using var host = await EncoderHost.StartAsync(server.Url, new() { ["Encoder:ForceJpeg"] = "true" });
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new EncoderClient(channel);
        const string stream = "jpeg";
        await EncoderHost.WaitForControlAsync(nats);
        await VideoControl.LeaseRecordAsync(nats, stream);
        await using var live = await VideoCapture.StartAsync(nats, SubjectNames.VideoLive(stream));
        await using var record = await VideoCapture.StartAsync(nats, SubjectNames.VideoRecord(stream));

        using var call = IngestCall.Start(client);
        for (ulong id = 0; id < 6; id++) await call.SendPacedAsync(TestFrames.I420(stream, id), live);
        var summary = await call.CompleteAsync();

        Assert.Equal(6UL, summary.FramesEncoded);
        await live.WaitForCountAsync(6);
        Assert.All(live.Units, u =>
        {
            Assert.Equal(VideoCodecNames.Jpeg, u.Codec);
            Assert.True(u.Keyframe);
            Assert.Equal([0xFF, 0xD8], u.Data[..2]); // SOI
        });
        var probe = await Ffprobe.ProbeAsync([live.Units[^1].Data], "jpg");
        Assert.Equal(("mjpeg", 320, 240, 1), (probe.CodecName, probe.Width, probe.Height, probe.FramesDecoded));
        await record.WaitForCountAsync(3);
        Assert.All(record.Units, u => Assert.Equal(VideoCodecNames.Jpeg, u.Codec));
        var stats = await client.GetStatsAsync(new GetStatsRequest { Stream = stream });
        Assert.Equal((Codec.Jpeg, "mjpeg"), (stats.Codec, stats.EncoderName));
        // One warning line per session says why it is JPEG.
        Assert.Contains(host.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("falls back to JPEG", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_usable_H264_encoder_the_stream_falls_back_to_jpeg_and_health_stays_ready()
    {
        await using var server = await NatsServer.StartAsync();
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        await nats.ConnectAsync();
        await using var host = await EncoderHost.StartAsync(server.Url, new() { ["Encoder:H264Encoders:0"] = "h264_does_not_exist" });
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new EncoderClient(channel);
        const string stream = "fallback";
        await EncoderHost.WaitForControlAsync(nats);
        await VideoControl.LeaseRecordAsync(nats, stream);
        await using var live = await VideoCapture.StartAsync(nats, SubjectNames.VideoLive(stream));

        using var call = IngestCall.Start(client);
        await call.SendPacedAsync(TestFrames.I420(stream, 0), live);
        await call.CompleteAsync();

        var unit = await live.WaitForFrameAsync(0);
        Assert.Equal(VideoCodecNames.Jpeg, unit.Codec);
        var fallback = host.Logs.Lines.Where(l => l.Message.Contains("falls back to JPEG", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, fallback.Count); // the live and the record session, one line each
        Assert.Contains("h264_does_not_exist: not in this libavcodec", fallback[0].Message, StringComparison.Ordinal);
        var health = await host.Get<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Entries["encoder"].Status);
    }
}
