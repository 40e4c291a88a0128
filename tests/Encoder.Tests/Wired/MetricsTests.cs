using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Subjects;
using Platform.Encoder.Hosting;
using Platform.TestSupport;

namespace Platform.Encoder.Tests.Wired;

/// <summary>The <c>Platform.Encoder</c> meter counts what the stream did.</summary>
[Collection(SharedEncoder.Name)]
public sealed class MetricsTests(EncoderFixture fx)
{
    [Fact]
    public async Task The_meter_counts_encoded_frames_keyframes_and_encode_durations_per_stream()
    {
        const string stream = "metrics";
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Profile)>();
        using var listener = Listen((instrument, value, streamTag, profile) =>
        {
            if (streamTag == stream || (instrument == "encoder.encode.duration" && streamTag is null)) measurements.Enqueue((instrument, value, profile));
        });

        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var call = IngestCall.Start(fx.Client);
        for (ulong id = 0; id < 10; id++) await call.SendPacedAsync(TestFrames.I420(stream, id), live);
        await call.SendPacedAsync(TestFrames.I420(stream, 20), live); // ids 10..19 never arrive
        var summary = await call.CompleteAsync();

        var m = measurements.ToList();
        Assert.Equal((double)summary.FramesEncoded, m.Where(x => x.Instrument == "encoder.frames.encoded" && x.Profile == "live").Sum(x => x.Value));
        Assert.Equal(1, m.Where(x => x.Instrument == "encoder.keyframes").Sum(x => x.Value));
        Assert.Equal(10, m.Where(x => x.Instrument == "encoder.frames.upstream_dropped").Sum(x => x.Value));
        Assert.Contains(m, x => x.Instrument == "encoder.encode.duration" && x.Profile == "live" && x.Value > 0);
    }

    [Fact]
    public async Task Render_to_encoded_latency_is_measured_from_the_capture_timestamp_and_fps_and_bitrate_are_gauges_per_stream()
    {
        const string stream = "metrics-latency";
        var latencies = new ConcurrentQueue<(double Ms, string? Profile)>();
        var gauges = new ConcurrentDictionary<string, double>();
        using var listener = Listen((instrument, value, streamTag, profile) =>
        {
            if (streamTag != stream) return;
            if (instrument == "encoder.video.latency.render_to_encoded") latencies.Enqueue((value, profile));
            else gauges[instrument] = value;
        });

        // Unix µs, as the source stamps capture_ts_us: frames captured 5 s ago, one from a source whose clock runs a
        // minute ahead (clamped to 0, not a negative latency) and one without a timestamp (not measured).
        static long UnixUs(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        RawFrame Captured(ulong id, long captureTsUs)
        {
            var frame = TestFrames.I420(stream, id);
            frame.CaptureTsUs = captureTsUs;
            return frame;
        }
        await using var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        using var call = IngestCall.Start(fx.Client);
        ulong next = 0;
        for (; next < 8; next++) await call.SendPacedAsync(Captured(next, UnixUs(DateTimeOffset.UtcNow.AddSeconds(-5))), live);
        await call.SendPacedAsync(Captured(next++, UnixUs(DateTimeOffset.UtcNow.AddMinutes(1))), live);
        await call.SendPacedAsync(Captured(next++, 0), live);

        // The gauges read the statistics window while the stream runs; each try follows a fresh frame, so a stall of the
        // machine longer than the window only means one more frame.
        await Eventually.WaitAsync(async () =>
        {
            listener.RecordObservableInstruments();
            if (gauges.GetValueOrDefault("encoder.video.fps") > 0 && gauges.GetValueOrDefault("encoder.video.bitrate") > 0) return true;
            await call.SendPacedAsync(Captured(next++, UnixUs(DateTimeOffset.UtcNow.AddSeconds(-5))), live);
            return false;
        }, "fps and bitrate gauges above zero for the running stream");
        var summary = await call.CompleteAsync();

        var measured = latencies.Where(l => l.Profile == "live").Select(l => l.Ms).ToList();
        Assert.Equal((int)summary.FramesEncoded - 1, measured.Count); // every live access unit but the unstamped frame's
        Assert.Single(measured, ms => ms == 0);
        Assert.All(measured.Where(ms => ms != 0), ms => Assert.True(ms >= 5000, $"{ms} ms for a frame captured 5 s before it was sent"));
    }

    /// <summary>Every measurement of the <c>Platform.Encoder</c> meter with its instrument's name and stream and profile tags.</summary>
    private static MeterListener Listen(Action<string, double, string?, string?> onMeasurement)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EncoderTelemetry.Name) l.EnableMeasurementEvents(instrument);
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? stream = null, profile = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "stream") stream = tag.Value as string;
                if (tag.Key == "profile") profile = tag.Value as string;
            }
            onMeasurement(instrument.Name, value, stream, profile);
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        return listener;
    }
}
