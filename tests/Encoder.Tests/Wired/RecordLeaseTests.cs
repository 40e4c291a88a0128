using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Contracts.Subjects;
using Platform.Media;
using Platform.TestSupport;

namespace Platform.Encoder.Tests.Wired;

/// <summary>
/// The record profile is encoded only while a consumer holds a lease on <c>video.&lt;stream&gt;.control</c>: nothing on
/// <c>.record</c> without one, a keyframe first when one arrives, and nothing after it lapses; live video never depends on it.
/// </summary>
[Collection(SharedEncoder.Name)]
public sealed partial class RecordLeaseTests(EncoderFixture fx)
{
    [Fact]
    public async Task Without_a_lease_nothing_is_recorded_and_a_lease_starts_the_record_stream_at_a_keyframe()
    {
        const string stream = "lease-start";
        await using var record = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoRecord(stream));
        await using var source = await FrameSource.StartAsync(fx, stream);
        await source.WaitForFramesAsync(30);
        Assert.Equal(0, record.Count);
        Assert.DoesNotContain(fx.Host.Logs.Lines, l => l.Message.Contains($"Stream {stream}: Record session opened", StringComparison.Ordinal));

        var before = source.Live.Units[^1].FrameId;
        await VideoControl.LeaseRecordAsync(fx.Nats, stream);
        await record.WaitForCountAsync(10);
        await source.StopAsync();

        var units = record.Units;
        Assert.True(units[0].FrameId >= before, $"the record stream starts at frame {units[0].FrameId}, before the lease (frame {before} was live)");
        Assert.True(units[0].Keyframe);
        Assert.True(AnnexB.IsKeyframe(units[0].Data));
        var probe = await Ffprobe.ProbeAsync(units.Select(u => u.Data), "h264");
        Assert.Equal(units.Count, probe.FramesDecoded);
        await source.Live.WaitForCountAsync((int)source.Summary!.FramesEncoded); // live went on throughout
    }

    [Fact]
    public async Task The_record_stream_stops_when_its_lease_lapses_and_a_new_lease_restarts_it_with_a_keyframe()
    {
        const string stream = "lease-lapse";
        await using var record = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoRecord(stream));
        await using var source = await FrameSource.StartAsync(fx, stream);
        await source.WaitForFramesAsync(5);
        await VideoControl.LeaseRecordAsync(fx.Nats, stream, leaseMs: 1_500);
        await record.WaitForCountAsync(1);

        // Not renewed: the encoder says at which frame the record profile stopped.
        ulong stoppedBefore = 0;
        await Eventually.WaitAsync(() => fx.Host.Logs.Lines.Select(l => StoppedAt().Match(l.Message)).FirstOrDefault(m => m.Success && m.Groups[1].Value == stream) is { } m
            && (stoppedBefore = ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) > 0, "the record lease to lapse");
        await source.Live.WaitForFrameAsync(stoppedBefore + 30);
        var firstSession = record.Units;
        Assert.All(firstSession, u => Assert.True(u.FrameId < stoppedBefore, $"frame {u.FrameId} was recorded after the lease lapsed at frame {stoppedBefore}"));
        var probe = await Ffprobe.ProbeAsync(firstSession.Select(u => u.Data), "h264");
        Assert.Equal(firstSession.Count, probe.FramesDecoded); // the session was flushed and closed whole

        var resumedFrom = source.Live.Units[^1].FrameId;
        await VideoControl.LeaseRecordAsync(fx.Nats, stream);
        await Eventually.WaitAsync(() => record.Units.Any(u => u.FrameId >= stoppedBefore), "the record stream to resume");
        var resumed = record.Units.First(u => u.FrameId >= stoppedBefore);
        Assert.True(resumed.FrameId >= resumedFrom);
        Assert.True(resumed.Keyframe);
        Assert.True(AnnexB.IsKeyframe(resumed.Data));
    }

    [Fact]
    public async Task A_bad_lease_request_gets_an_error_reply_saying_what_to_send()
    {
        Assert.Contains("lease_ms from 1 to 60000", (await VideoControl.RequestAsync(fx.Nats, "lease-bad", "{\"record\":true}")).Error, StringComparison.Ordinal);
        Assert.Contains("lease_ms from 1 to 60000", (await VideoControl.RequestAsync(fx.Nats, "lease-bad", "{\"record\":true,\"lease_ms\":0}")).Error, StringComparison.Ordinal);
        Assert.Contains("lease_ms from 1 to 60000", (await VideoControl.RequestAsync(fx.Nats, "lease-bad", "{\"record\":true,\"lease_ms\":60001}")).Error, StringComparison.Ordinal);
        Assert.Contains("ends by lapsing", (await VideoControl.RequestAsync(fx.Nats, "lease-bad", "{\"record\":false}")).Error, StringComparison.Ordinal);
        Assert.Contains("has '$'", (await VideoControl.RequestAsync(fx.Nats, "lease$bad", "{\"record\":true,\"lease_ms\":1000}")).Error, StringComparison.Ordinal);
        // A good one for a stream that is not ingested yet holds for its first Ingest call.
        var granted = await VideoControl.RequestAsync(fx.Nats, "lease-early", "{\"record\":true,\"lease_ms\":1000}");
        Assert.Equal((null, 1000), (granted.Error, granted.RecordLeaseMs));
    }

    [GeneratedRegex(@"^Stream (\S+): the record lease lapsed; the record profile stops before frame (\d+)$")]
    private static partial Regex StoppedAt();
}
