using Grpc.Core;
using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Subjects;
using Platform.Media;
using Platform.TestSupport;
using PixelFormat = Platform.Contracts.Encoder.V1.PixelFormat;

namespace Platform.Encoder.Tests.Wired;

/// <summary>Frames in over real gRPC (h2c), access units out on a real nats-server, checked with AnnexB and ffprobe.</summary>
[Collection(SharedEncoder.Name)]
public sealed class IngestTests(EncoderFixture fx)
{
    [Fact]
    public async Task Frames_become_live_h264_access_units_with_every_header_and_ffprobe_decodes_them_all()
    {
        const string stream = "ingest-live";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var call = IngestCall.Start(fx.Client);
        for (ulong id = 100; id < 160; id++) await call.SendPacedAsync(TestFrames.I420(stream, id), live);
        var summary = await call.CompleteAsync();

        Assert.Equal(60UL, summary.FramesReceived);
        Assert.Equal(0UL, summary.FramesDropped);
        Assert.Equal(60UL, summary.FramesEncoded);
        Assert.Equal(159UL, summary.LastFrameId);
        Assert.Equal(60UL * 320 * 240 * 3 / 2, summary.BytesReceived);
        await live.WaitForCountAsync(60);
        var units = live.Units;
        Assert.Equal(Enumerable.Range(100, 60).Select(i => (ulong)i), units.Select(u => u.FrameId));
        Assert.All(units, u =>
        {
            Assert.Equal(VideoCodecNames.H264, u.Codec);
            Assert.Equal((long)u.FrameId * TestFrames.FrameIntervalUs30, u.PtsUs);
            Assert.Equal(1_700_000_000_000_000 + (long)u.FrameId * 1000, u.CaptureTsUs);
            // Video is measured with metrics, not a span per frame (ARCHITECTURE.md section 11): ServiceDefaults leaves
            // video.*.live untraced, so no access unit carries trace context.
            Assert.False(u.HasTraceparent);
            Assert.Equal(AnnexB.IsKeyframe(u.Data), u.Keyframe);
        });
        // The first access unit is SPS, PPS, IDR; the live profile has no periodic IDR after it.
        Assert.True(units[0].Keyframe);
        Assert.True(AnnexB.IsKeyframe(units[0].Data));
        Assert.Single(units, u => u.Keyframe);
        var probe = await Ffprobe.ProbeAsync(units.Select(u => u.Data), "h264");
        Assert.Equal(("h264", 320, 240), (probe.CodecName, probe.Width, probe.Height));
        Assert.Equal((int)(summary.FramesReceived - summary.FramesDropped), probe.FramesDecoded);
        // What a decoder shows matches what went in (4 Mbps at 320x240 leaves plenty of quality).
        var video = new SyntheticVideo(320, 240);
        var psnr = await Psnr.AverageAsync(units.Select(u => u.Data), [.. Enumerable.Range(100, 60).Select(video.Render)], "yuv420p");
        Assert.True(psnr >= 35, $"PSNR {psnr:0.0} dB");
    }

    [Fact]
    public async Task A_burst_faster_than_the_encoder_drops_whole_frames_and_counts_them_truthfully()
    {
        const string stream = "ingest-burst";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var call = IngestCall.Start(fx.Client);
        var frames = Enumerable.Range(0, 120).Select(i => TestFrames.I420(stream, (ulong)i, 640, 360)).ToList();
        foreach (var frame in frames) await call.SendAsync(frame);
        var summary = await call.CompleteAsync();

        Assert.Equal(120UL, summary.FramesReceived);
        Assert.Equal(120UL, summary.FramesEncoded + summary.FramesDropped);
        await live.WaitForCountAsync((int)summary.FramesEncoded);
        Assert.Equal((int)summary.FramesEncoded, live.Count);
        var ids = live.Units.Select(u => u.FrameId).ToList();
        Assert.Equal(ids.Order(), ids);
        var probe = await Ffprobe.ProbeAsync(live.Units.Select(u => u.Data), "h264");
        Assert.Equal((int)summary.FramesEncoded, probe.FramesDecoded);
    }

    [Fact]
    public async Task The_record_subject_carries_15_fps_with_a_keyframe_every_2_seconds()
    {
        const string stream = "ingest-record";
        await VideoControl.LeaseRecordAsync(fx.Nats, stream);
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        await using var record = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoRecord(stream));
        using var call = IngestCall.Start(fx.Client);
        for (ulong id = 0; id < 150; id++) // 5 s at 30 fps
        {
            // Paced on both encoders, so neither hand-off overflows on a busy machine.
            await record.WaitForCountAsync((int)id / 2 - 2);
            await call.SendPacedAsync(TestFrames.I420(stream, id), live);
        }
        var summary = await call.CompleteAsync();
        Assert.Equal(150UL, summary.FramesEncoded);

        await record.WaitForCountAsync(75);
        var units = record.Units;
        Assert.Equal(75, units.Count);
        Assert.Equal(Enumerable.Range(0, 75).Select(i => (ulong)(i * 2)), units.Select(u => u.FrameId));
        Assert.All(units.Zip(units.Skip(1)), p => Assert.InRange(p.Second.PtsUs - p.First.PtsUs, 65_000, 68_000));
        var keyframes = units.Where(u => u.Keyframe).Select(u => u.PtsUs).ToList();
        Assert.Equal(3, keyframes.Count);
        Assert.All(keyframes.Zip(keyframes.Skip(1)), p => Assert.InRange(p.Second - p.First, 1_990_000, 2_010_000));
        Assert.All(units, u => Assert.Equal(AnnexB.IsKeyframe(u.Data), u.Keyframe));
        var probe = await Ffprobe.ProbeAsync(units.Select(u => u.Data), "h264");
        Assert.Equal(("h264", 320, 240, 75), (probe.CodecName, probe.Width, probe.Height, probe.FramesDecoded));
    }

    [Fact]
    public async Task A_60_fps_source_gets_a_live_session_tuned_for_60_fps_and_a_15_fps_record()
    {
        const string stream = "ingest-60fps";
        await VideoControl.LeaseRecordAsync(fx.Nats, stream);
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        await using var record = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoRecord(stream));
        using var call = IngestCall.Start(fx.Client);
        for (ulong id = 0; id < 40; id++)
        {
            await record.WaitForCountAsync((int)id / 4 - 2);
            await call.SendPacedAsync(TestFrames.I420(stream, id, ptsUs: (long)(id * 1_000_000.0 / 60)), live);
        }
        var summary = await call.CompleteAsync();

        Assert.Equal(40UL, summary.FramesEncoded);
        await live.WaitForCountAsync(40);
        // The session opened for the configured 30 fps is reopened once the eighth frame shows 60.
        Assert.Equal([0UL, 7UL], live.Units.Where(u => u.Keyframe).Select(u => u.FrameId));
        Assert.Contains(fx.Host.Logs.Lines, l => l.Message.Contains($"Stream {stream}: the source runs at 60 fps (session was tuned for 30)", StringComparison.Ordinal));
        await record.WaitForCountAsync(10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ulong)(i * 4)), record.Units.Select(u => u.FrameId));
    }

    [Fact]
    public async Task A_resolution_change_reopens_the_session_and_starts_with_a_keyframe_of_the_new_size()
    {
        const string stream = "ingest-resize";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var call = IngestCall.Start(fx.Client);
        for (ulong id = 0; id < 5; id++) await call.SendPacedAsync(TestFrames.I420(stream, id, 320, 240), live);
        for (ulong id = 5; id < 10; id++) await call.SendPacedAsync(TestFrames.I420(stream, id, 640, 360), live);
        var summary = await call.CompleteAsync();

        Assert.Equal(10UL, summary.FramesEncoded);
        await live.WaitForCountAsync(10);
        var units = live.Units;
        Assert.Equal([0UL, 5UL], units.Where(u => u.Keyframe).Select(u => u.FrameId));
        Assert.True(AnnexB.TryFindSps(units[5].Data, out var sps));
        Assert.Equal((640, 360), (sps.Width, sps.Height));
        var stats = await fx.Client.GetStatsAsync(new GetStatsRequest { Stream = stream });
        Assert.Equal((640u, 360u), (stats.Width, stats.Height));
        var probe = await Ffprobe.ProbeAsync(units.Skip(5).Select(u => u.Data), "h264");
        Assert.Equal((640, 360, 5), (probe.Width, probe.Height, probe.FramesDecoded));
    }

    [Fact]
    public async Task Bgra_frames_are_converted_by_libswscale_and_decode_back_to_the_source()
    {
        const string stream = "ingest-bgra";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var call = IngestCall.Start(fx.Client);
        var frames = Enumerable.Range(0, 8).Select(i => TestFrames.Bgra(stream, (ulong)i, 256, 144)).ToList();
        foreach (var frame in frames) await call.SendPacedAsync(frame, live);
        var summary = await call.CompleteAsync();

        Assert.Equal(8UL, summary.FramesEncoded);
        await live.WaitForCountAsync(8);
        var probe = await Ffprobe.ProbeAsync(live.Units.Select(u => u.Data), "h264");
        Assert.Equal(("h264", 256, 144, 8), (probe.CodecName, probe.Width, probe.Height, probe.FramesDecoded));
        var psnr = await Psnr.AverageAsync(live.Units.Select(u => u.Data), [.. frames.Select(f => f.Data.ToByteArray())], "bgra");
        Assert.True(psnr >= 30, $"PSNR {psnr:0.0} dB against the BGRA source");
    }

    [Fact]
    public async Task Malformed_frames_are_skipped_counted_and_logged_and_the_stream_goes_on()
    {
        const string stream = "ingest-bad";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var call = IngestCall.Start(fx.Client);
        for (ulong id = 0; id < 3; id++) await call.SendPacedAsync(TestFrames.I420(stream, id), live);
        var good = TestFrames.I420(stream, 3);
        await call.SendAsync(TestFrames.Frame(stream, 3, 320, 240, PixelFormat.I420, good.Data.ToByteArray()[..1000], null));   // too short
        await call.SendAsync(TestFrames.Frame(stream, 4, 320, 240, PixelFormat.Unspecified, good.Data.ToByteArray(), null));    // no format
        await call.SendAsync(TestFrames.Frame(stream, 5, 321, 240, PixelFormat.I420, new byte[321 * 240 * 3 / 2 + 200], null)); // odd width
        await call.SendAsync(TestFrames.I420("another-stream", 6));                                                               // wrong stream
        for (ulong id = 7; id < 10; id++) await call.SendPacedAsync(TestFrames.I420(stream, id), live, publishedBefore: -4);
        // Frame ids 10..19 never reach the encoder: a gap upstream.
        await call.SendPacedAsync(TestFrames.I420(stream, 20), live, publishedBefore: -4);
        var summary = await call.CompleteAsync();

        Assert.Equal((11UL, 7UL, 4UL, 10UL, 20UL), (summary.FramesReceived, summary.FramesEncoded, summary.FramesDropped, summary.UpstreamDropped, summary.LastFrameId));
        await live.WaitForCountAsync(7);
        Assert.Equal([0UL, 1UL, 2UL, 7UL, 8UL, 9UL, 20UL], live.Units.Select(u => u.FrameId));
        var warnings = fx.Host.Logs.Lines.Where(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains("Stream ingest-bad: skipped frame", StringComparison.Ordinal)).ToList();
        Assert.InRange(warnings.Count, 1, 4); // rate-limited: one per second at most
        Assert.Contains("needs 115200", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains(fx.Host.Logs.Lines, l => l.Message.Contains("frame ids jump from 9 to 20: 10 frames dropped upstream", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_caller_that_cancels_mid_stream_frees_the_stream_for_the_next_Ingest()
    {
        const string stream = "ingest-cancel";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using (var cts = new CancellationTokenSource())
        using (var first = IngestCall.Start(fx.Client, cts.Token))
        {
            for (ulong id = 0; id < 5; id++) await first.SendPacedAsync(TestFrames.I420(stream, id), live);
            await live.WaitForCountAsync(5);
            await cts.CancelAsync();
            var ex = await Assert.ThrowsAsync<RpcException>(() => first.Response);
            Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        }

        // The server notices the reset on its own schedule; until then the stream is still held (FAILED_PRECONDITION).
        IngestSummary? summary = null;
        await Eventually.WaitAsync(async () =>
        {
            using var second = IngestCall.Start(fx.Client);
            try
            {
                await second.SendAsync(TestFrames.I420(stream, 1000));
                await second.SendAsync(TestFrames.I420(stream, 1001));
                summary = await second.CompleteAsync();
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                return false;
            }
        }, "a new Ingest on the cancelled stream");
        Assert.Equal(2UL, summary!.FramesReceived);
        var after = (await Task.WhenAll(live.WaitForFrameAsync(1000), live.WaitForFrameAsync(1001)));
        Assert.True(after[0].Keyframe);
        Assert.True(AnnexB.IsKeyframe(after[0].Data));
        Assert.Contains(fx.Host.Logs.Lines, l => l.Message.Contains("Stream ingest-cancel: Ingest ended by the caller", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_that_breaks_mid_stream_frees_the_stream_for_the_next_Ingest()
    {
        const string stream = "ingest-broken";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(fx.Host.GrpcAddress);
        var broken = IngestCall.Start(new Contracts.Encoder.V1.Encoder.EncoderClient(channel));
        for (ulong id = 0; id < 3; id++) await broken.SendPacedAsync(TestFrames.I420(stream, id), live);
        await live.WaitForCountAsync(3);
        channel.Dispose(); // the HTTP/2 connection goes away under the call
        broken.Dispose();

        IngestSummary? summary = null;
        await Eventually.WaitAsync(async () =>
        {
            using var next = IngestCall.Start(fx.Client);
            try
            {
                await next.SendAsync(TestFrames.I420(stream, 10));
                summary = await next.CompleteAsync();
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                return false;
            }
        }, "a new Ingest after the broken connection");
        Assert.Equal(1UL, summary!.FramesEncoded);
        Assert.True((await live.WaitForFrameAsync(10)).Keyframe);
    }

    [Fact]
    public async Task A_second_concurrent_Ingest_for_the_same_stream_is_rejected_and_the_first_goes_on()
    {
        const string stream = "ingest-twice";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var first = IngestCall.Start(fx.Client);
        await first.SendPacedAsync(TestFrames.I420(stream, 0), live);
        await live.WaitForFrameAsync(0);

        using (var second = IngestCall.Start(fx.Client))
        {
            var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await second.SendAsync(TestFrames.I420(stream, 50));
                await second.CompleteAsync();
            });
            Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
            Assert.Contains("already being ingested", ex.Status.Detail, StringComparison.Ordinal);
        }

        await first.SendPacedAsync(TestFrames.I420(stream, 1), live);
        var summary = await first.CompleteAsync();
        Assert.Equal(2UL, summary.FramesEncoded);
        Assert.DoesNotContain(live.Units, u => u.FrameId == 50);
    }

    [Fact]
    public async Task A_holder_that_went_quiet_is_taken_over_by_a_new_Ingest()
    {
        const string stream = "ingest-takeover";
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var stale = IngestCall.Start(fx.Client);
        // Started before the send: the holder's last frame reaches the encoder after this, however late the test sees it.
        var quietSince = System.Diagnostics.Stopwatch.StartNew();
        await stale.SendPacedAsync(TestFrames.I420(stream, 0), live);
        await live.WaitForFrameAsync(0);

        // Refused while the holder is recent; taken over once it has been quiet for the takeover time.
        IngestSummary? summary = null;
        var refusals = 0;
        await Eventually.WaitAsync(async () =>
        {
            using var fresh = IngestCall.Start(fx.Client);
            try
            {
                await fresh.SendAsync(TestFrames.I420(stream, 500));
                summary = await fresh.CompleteAsync();
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                refusals++;
                return false;
            }
        }, "a new Ingest taking the quiet stream over");
        Assert.True(quietSince.ElapsedMilliseconds >= EncoderFixture.TakeoverAfterMs);
        Assert.True(refusals > 0);
        Assert.Equal(1UL, summary!.FramesEncoded);
        Assert.True((await live.WaitForFrameAsync(500)).Keyframe);
        var ended = await Assert.ThrowsAsync<RpcException>(() => stale.Response);
        Assert.Equal(StatusCode.Aborted, ended.StatusCode);
        Assert.Contains("taken over", ended.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_stream_name_is_an_invalid_argument_and_an_unknown_stream_is_not_found()
    {
        using var call = IngestCall.Start(fx.Client);
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.SendAsync(TestFrames.I420("bad.name", 0));
            await call.CompleteAsync();
        });
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("NATS subject token", ex.Status.Detail, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<RpcException>(() => fx.Client.GetStatsAsync(new GetStatsRequest { Stream = "never-seen" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var noKeyframe = await Assert.ThrowsAsync<RpcException>(() => fx.Client.RequestKeyframeAsync(new RequestKeyframeRequest { Stream = "never-seen" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, noKeyframe.StatusCode);
    }
}
