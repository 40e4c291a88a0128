using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;
using Platform.SimRunner.Commands;
using Platform.SimRunner.Engine;

namespace Platform.SimRunner.Hosting;

/// <summary>
/// The sim's NATS inputs: <c>command.sim.&gt;</c> (parsed here, applied by the loop; a payload that cannot run is
/// answered at once), <c>safety.state</c> from the authority, and <c>telemetry.sim.schema</c> requests.
/// </summary>
public sealed partial class SimNatsListener(NatsSubscriptionLoop subscriptions, SimEngine engine, SimOutbox outbox, ILogger<SimNatsListener> logger) : BackgroundService
{
    private readonly CommandParser _parser = new(engine.Options.MaxCommandBytes, engine.Options.MaxStepCount);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        subscriptions.RunAsync(SubjectNames.AllCommands, OnCommand, stoppingToken),
        subscriptions.RunAsync(SubjectNames.SafetyState, OnSafetyState, stoppingToken),
        subscriptions.RunAsync(SubjectNames.SimSchema, OnSchemaRequest, stoppingToken));

    private ValueTask OnCommand(NatsMsg<byte[]> msg)
    {
        var result = _parser.Parse(SubjectNames.ActionOf(msg.Subject), msg.Data ?? []);
        if (result.Command is { } command)
        {
            // The apply span continues the command's trace (traceparent in the headers, read by NATS.Net's receive span).
            engine.Post(command, msg.Headers.GetActivityContext());
        }
        else if (result.Answer is { } answer)
        {
            LogCommandNotRun(msg.Subject, answer.Status, answer.Reason);
            outbox.Write(new AckOutput(answer));
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask OnSafetyState(NatsMsg<byte[]> msg)
    {
        SafetyStateMessage? state = null;
        try
        {
            state = JsonSerializer.Deserialize(msg.Data ?? [], SubjectsJsonContext.Default.SafetyStateMessage);
        }
        catch (JsonException ex)
        {
            LogBadSafetyState(ex.Message);
        }
        // A state that cannot be read is no proof of life: the authority timeout keeps running.
        if (state is not null) engine.Post(state);
        return ValueTask.CompletedTask;
    }

    private async ValueTask OnSchemaRequest(NatsMsg<byte[]> msg)
    {
        if (string.IsNullOrEmpty(msg.ReplyTo)) return;
        await msg.ReplyAsync(JsonSerializer.SerializeToUtf8Bytes(engine.Schema(), SubjectsJsonContext.Default.SimSchemaMessage)).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command on {Subject} not run ({Status}): {Reason}")]
    private partial void LogCommandNotRun(string subject, AckStatus status, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable safety.state: {Error}")]
    private partial void LogBadSafetyState(string error);
}
