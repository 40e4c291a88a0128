using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;

namespace Platform.Transport.Signals;

/// <summary>
/// The sim's answers on <c>telemetry.command.ack</c>, matched to the commands waiting for them by (action, cmd_seq).
/// The transport's cmd_seq values are unique (<see cref="Commands.CommandSequence"/>), so the pair names one command.
/// </summary>
public sealed class CommandAcks(NatsSubscriptionLoop runner) : BackgroundService
{
    private readonly ConcurrentDictionary<(string Action, long CmdSeq), TaskCompletionSource<CommandAck>> _waiting = new();

    /// <summary>Registers before publishing; the task completes with the ack or null after <paramref name="timeout"/>.</summary>
    public async Task<CommandAck?> WaitAsync(string action, long cmdSeq, TimeSpan timeout, Func<ValueTask> publish, CancellationToken cancellationToken)
    {
        var key = (action, cmdSeq);
        var tcs = new TaskCompletionSource<CommandAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[key] = tcs;
        try
        {
            await publish().ConfigureAwait(false);
            return await tcs.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _waiting.TryRemove(key, out _);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runner.RunAsync(SubjectNames.CommandAck, OnAck, stoppingToken);

    private ValueTask OnAck(NatsMsg<byte[]> msg)
    {
        if (_waiting.IsEmpty) return ValueTask.CompletedTask;
        CommandAck? ack;
        try
        {
            ack = JsonSerializer.Deserialize(msg.Data ?? [], SubjectsJsonContext.Default.CommandAck);
        }
        catch (JsonException)
        {
            return ValueTask.CompletedTask;
        }
        if (ack is not null && _waiting.TryGetValue((ack.Action, ack.CmdSeq), out var tcs)) tcs.TrySetResult(ack);
        return ValueTask.CompletedTask;
    }
}
