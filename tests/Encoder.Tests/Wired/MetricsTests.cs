using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Platform.Contracts.Subjects;
using Platform.Encoder.Hosting;

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
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EncoderTelemetry.Name) l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? streamTag = null, profile = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "stream") streamTag = tag.Value as string;
                if (tag.Key == "profile") profile = tag.Value as string;
            }
            if (streamTag == stream || (instrument.Name == "encoder.encode.duration" && streamTag is null)) measurements.Enqueue((instrument.Name, value, profile));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

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
}
