using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;
using Platform.SafetyAuthority.State;

namespace Platform.SafetyAuthority.Hosting;

/// <summary>
/// Reads the latch back, then merges <c>safety.event.*</c> and operator <c>command.sim.estop</c> /
/// <c>command.sim.estop_clear</c>, and publishes <c>safety.state</c> on every change and every 500 ms.
/// A refused estop_clear is answered on <c>telemetry.command.ack</c> (status rejected, with the gates named).
/// </summary>
public sealed partial class SafetyAuthorityWorker(
    INatsConnection nats,
    NatsSubscriptionLoop subscriptions,
    ILatchStore store,
    SafetyAuthorityState state,
    SafetyAuthorityMetrics metrics,
    IOptions<SafetyAuthorityOptions> options,
    ILogger<SafetyAuthorityWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        state.Initialize(await LoadLatchAsync(stoppingToken).ConfigureAwait(false));
        metrics.ObserveMode(state);
        await Task.WhenAll(
            subscriptions.RunAsync(SubjectNames.AllSafetyEvents, msg => OnSafetyEvent(msg, stoppingToken), stoppingToken),
            subscriptions.RunAsync(SubjectNames.Command(CommandActions.Estop), msg => OnEstop(msg, stoppingToken), stoppingToken),
            subscriptions.RunAsync(SubjectNames.Command(CommandActions.EstopClear), msg => OnEstopClear(msg, stoppingToken), stoppingToken),
            PublishLoopAsync(stoppingToken)).ConfigureAwait(false);
    }

    /// <summary>Retries while NATS comes up; if the bucket stays unreadable, starts latched: unknown is not safe.</summary>
    private async Task<PersistedSafetyState?> LoadLatchAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.LatchLoadTimeoutMs);
        Exception? last = null;
        while (!timeout.IsCancellationRequested)
        {
            try
            {
                return await store.LoadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                last = ex;
                try
                {
                    await Task.Delay(250, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        LogLatchUnreadable(last, options.Value.KvBucket);
        return new PersistedSafetyState(true, "latch store unreadable at start", 0);
    }

    private async ValueTask OnSafetyEvent(NatsMsg<byte[]> msg, CancellationToken cancellationToken)
    {
        var source = SubjectNames.SourceOf(msg.Subject);
        if (source is null) return;
        SafetyEventMessage? e;
        try
        {
            e = JsonSerializer.Deserialize(msg.Data ?? [], SubjectsJsonContext.Default.SafetyEventMessage);
        }
        catch (JsonException ex)
        {
            LogBadInput(msg.Subject, ex.Message);
            return;
        }
        if (e is null) return;
        await state.ApplyAsync(source, e, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask OnEstop(NatsMsg<byte[]> msg, CancellationToken cancellationToken)
    {
        // An estop is honoured even when its payload cannot be read: stopping is always the safe reading.
        var envelope = ReadCommand(msg);
        var reason = ReadOperatorData(envelope)?.Reason ?? envelope?.Source ?? "operator";
        await state.EstopAsync(reason, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask OnEstopClear(NatsMsg<byte[]> msg, CancellationToken cancellationToken)
    {
        var envelope = ReadCommand(msg);
        if (envelope is null) return;
        var @operator = ReadOperatorData(envelope)?.Operator ?? envelope.Source ?? "operator";
        var result = await state.ClearEstopAsync(@operator, cancellationToken).ConfigureAwait(false);
        if (result.Outcome != ClearOutcome.Refused) return;
        var ack = new CommandAck(CommandActions.EstopClear, envelope.CmdSeq, AckStatus.Rejected, $"safety-authority: {result.Reason}");
        await nats.PublishAsync(SubjectNames.CommandAck, JsonSerializer.SerializeToUtf8Bytes(ack, SubjectsJsonContext.Default.CommandAck), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private CommandEnvelope? ReadCommand(NatsMsg<byte[]> msg)
    {
        try
        {
            return JsonSerializer.Deserialize(msg.Data ?? [], SubjectsJsonContext.Default.CommandEnvelope);
        }
        catch (JsonException ex)
        {
            LogBadInput(msg.Subject, ex.Message);
            return null;
        }
    }

    private static OperatorData? ReadOperatorData(CommandEnvelope? envelope)
    {
        if (envelope?.Data is not { ValueKind: JsonValueKind.Object } data) return null;
        try
        {
            return data.Deserialize(SubjectsJsonContext.Default.OperatorData);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task PublishLoopAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.PublishIntervalMs);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(state.Current, SubjectsJsonContext.Default.SafetyStateMessage);
                var changed = state.NextChangeAsync(cancellationToken);
                await nats.PublishAsync(SubjectNames.SafetyState, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
                await Task.WhenAny(changed, Task.Delay(interval, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPublishFailed(ex);
                try
                {
                    await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not read the latch from key-value bucket {Bucket}: starting latched in ESTOP (check NATS JetStream)")]
    private partial void LogLatchUnreadable(Exception? ex, string bucket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable message on {Subject}: {Error}")]
    private partial void LogBadInput(string subject, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing safety.state failed (is NATS reachable?)")]
    private partial void LogPublishFailed(Exception ex);
}
