using Microsoft.Extensions.Hosting;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;
using Platform.Transport.Streaming;

namespace Platform.Transport.Telemetry;

/// <summary><c>telemetry.&gt;</c> and <c>safety.state</c> → 0x02 <c>{subject, data}</c> to every client whose filter takes the subject.</summary>
public sealed class TelemetryRelay(NatsSubscriptionLoop runner, StreamHub hub) : BackgroundService
{
    public const string TelemetrySubjects = "telemetry.>";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        runner.RunAsync(TelemetrySubjects, Relay, stoppingToken),
        runner.RunAsync(SubjectNames.SafetyState, Relay, stoppingToken));

    private ValueTask Relay(NatsMsg<byte[]> msg)
    {
        var clients = hub.Clients;
        if (clients.Count == 0 || !clients.Any(c => c.Filter.Matches(msg.Subject))) return ValueTask.CompletedTask;
        hub.BroadcastTelemetry(msg.Subject, StreamMessages.Relay(msg.Subject, msg.Data ?? []));
        return ValueTask.CompletedTask;
    }
}
