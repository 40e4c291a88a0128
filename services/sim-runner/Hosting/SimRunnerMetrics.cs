using System.Diagnostics.Metrics;
using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Hosting;

/// <summary>The sim's meters (<c>Platform.SimRunner</c>): tick lateness, command outcomes, safety events.</summary>
public sealed class SimRunnerMetrics
{
    public const string MeterName = "Platform.SimRunner";
    private readonly Histogram<double> _tickLateness;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _safetyEvents;

    public SimRunnerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tickLateness = meter.CreateHistogram<double>("sim.tick.lateness", "ms", "How late each physics tick started against its due time.");
        _commands = meter.CreateCounter<long>("sim.commands", "{command}", "Commands answered, by action and status.");
        _safetyEvents = meter.CreateCounter<long>("sim.safety.events", "{event}", "Layer-3 safety events, by kind and mode.");
    }

    public void TickStarted(TimeSpan lateness) => _tickLateness.Record(lateness.TotalMilliseconds);

    public void Answered(CommandAck ack)
        => _commands.Add(1, new KeyValuePair<string, object?>("action", ack.Action), new KeyValuePair<string, object?>("status", ack.Status.ToString()));

    public void SafetyEvent(SafetyEventMessage e)
        => _safetyEvents.Add(1, new KeyValuePair<string, object?>("kind", e.Kind.ToWire()), new KeyValuePair<string, object?>("mode", e.Mode.ToWire()));
}
