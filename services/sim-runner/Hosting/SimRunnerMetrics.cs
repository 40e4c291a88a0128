using System.Diagnostics.Metrics;
using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Hosting;

/// <summary>The sim's meters (<c>Platform.SimRunner</c>): tick lateness, command outcomes, safety events, rendered video.</summary>
public sealed class SimRunnerMetrics
{
    public const string MeterName = "Platform.SimRunner";
    private readonly Histogram<double> _tickLateness;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _safetyEvents;
    private readonly Counter<long> _framesRendered;
    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _encoderReconnects;
    private readonly Histogram<double> _renderDuration;

    public SimRunnerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tickLateness = meter.CreateHistogram<double>("sim.tick.lateness", "ms", "How late each physics tick started against its due time.");
        _commands = meter.CreateCounter<long>("sim.commands", "{command}", "Commands answered, by action and status.");
        _safetyEvents = meter.CreateCounter<long>("sim.safety.events", "{event}", "Layer-3 safety events, by kind and mode.");
        _framesRendered = meter.CreateCounter<long>("sim.video.frames.rendered", "{frame}", "Frames rendered for the encoder.");
        _framesSent = meter.CreateCounter<long>("sim.video.frames.sent", "{frame}", "Frames the encoder's Ingest stream accepted.");
        _framesDropped = meter.CreateCounter<long>("sim.video.frames.dropped", "{frame}", "Frames not rendered because the previous one was still being sent (back-pressure).");
        _encoderReconnects = meter.CreateCounter<long>("sim.video.encoder.reconnects", "{attempt}", "Ingest streams opened again after the encoder was unreachable or the stream broke.");
        _renderDuration = meter.CreateHistogram<double>("sim.video.render.duration", "ms", "Time to render one frame.");
    }

    public void TickStarted(TimeSpan lateness) => _tickLateness.Record(lateness.TotalMilliseconds);

    public void Answered(CommandAck ack)
        => _commands.Add(1, new KeyValuePair<string, object?>("action", ack.Action), new KeyValuePair<string, object?>("status", ack.Status.ToString()));

    public void SafetyEvent(SafetyEventMessage e)
        => _safetyEvents.Add(1, new KeyValuePair<string, object?>("kind", e.Kind.ToWire()), new KeyValuePair<string, object?>("mode", e.Mode.ToWire()));

    public void FrameRendered(TimeSpan duration)
    {
        _framesRendered.Add(1);
        _renderDuration.Record(duration.TotalMilliseconds);
    }

    public void FrameSent() => _framesSent.Add(1);

    public void FrameDropped() => _framesDropped.Add(1);

    public void EncoderReconnect() => _encoderReconnects.Add(1);
}
