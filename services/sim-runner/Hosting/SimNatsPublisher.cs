using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.SimRunner.Safety;

namespace Platform.SimRunner.Hosting;

/// <summary>Publishes the loop's outputs: acks on <c>telemetry.command.ack</c>, layer-3 events on <c>safety.event.sim</c>, states on <c>telemetry.sim.state</c>.</summary>
public sealed partial class SimNatsPublisher(INatsConnection nats, SimOutbox outbox, ILogger<SimNatsPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var output in outbox.ForNats.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var (subject, payload) = output switch
                {
                    AckOutput a => (SubjectNames.CommandAck, JsonSerializer.SerializeToUtf8Bytes(a.Ack, SubjectsJsonContext.Default.CommandAck)),
                    SafetyEventOutput e => (SubjectNames.SafetyEvent(Layer3Safety.SourceName), JsonSerializer.SerializeToUtf8Bytes(e.Event, SubjectsJsonContext.Default.SafetyEventMessage)),
                    StateOutput s => (SubjectNames.SimState, JsonSerializer.SerializeToUtf8Bytes(s.State, SubjectsJsonContext.Default.SimStateMessage)),
                    _ => throw new InvalidOperationException($"unknown output {output.GetType().Name}"),
                };
                try
                {
                    await nats.PublishAsync(subject, payload, cancellationToken: stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPublishFailed(ex, subject);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing on {Subject} failed (is NATS reachable?)")]
    private partial void LogPublishFailed(Exception ex, string subject);
}
