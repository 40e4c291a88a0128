using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using Platform.SafetyAuthority.State;

namespace Platform.SafetyAuthority.Hosting;

/// <summary>
/// The one owner of the <see cref="SafetyStateMachine"/>: inputs from NATS and gRPC are serialized here; every change
/// is persisted to the latch store first, then announced to the publisher and watchers.
/// </summary>
public sealed partial class SafetyAuthorityState(LatchStore store, TimeProvider time, ILogger<SafetyAuthorityState> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SafetyStateMachine? _machine;
    private volatile SafetyStateMessage? _current;

    /// <summary>Completes once the persisted latch has been read back (or start-up gave up and latched).</summary>
    public Task Ready => _ready.Task;

    public SafetyStateMessage Current => _current ?? throw new InvalidOperationException("The safety authority is still reading its latch.");

    public void Initialize(PersistedSafetyState? restored)
    {
        _machine = new SafetyStateMachine(time, restored);
        _current = _machine.Snapshot();
        LogStarted(_current.StateId, _current.Mode, _current.Reason);
        _ready.TrySetResult();
    }

    /// <summary>Completes at the next change of state.</summary>
    public Task NextChangeAsync(CancellationToken cancellationToken) => Volatile.Read(ref _changed).Task.WaitAsync(cancellationToken);

    public Task<bool> ApplyAsync(string source, SafetyEventMessage e, CancellationToken cancellationToken)
        => MutateAsync(m => m.Apply(source, e), cancellationToken);

    public Task<bool> EstopAsync(string reason, CancellationToken cancellationToken)
        => MutateAsync(m => m.Estop(reason), cancellationToken);

    public async Task<ClearResult> ClearEstopAsync(string @operator, CancellationToken cancellationToken)
    {
        var result = default(ClearResult);
        await MutateAsync(m =>
        {
            result = m.ClearEstop(@operator);
            return result.Outcome == ClearOutcome.Cleared;
        }, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == ClearOutcome.Refused) LogClearRefused(@operator, result.Reason);
        return result;
    }

    private async Task<bool> MutateAsync(Func<SafetyStateMachine, bool> mutate, CancellationToken cancellationToken)
    {
        await Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var machine = _machine!;
            if (!mutate(machine)) return false;
            var snapshot = machine.Snapshot();
            try
            {
                // Persist before announcing, so a restart right after never forgets a latch it already published.
                await store.SaveAsync(machine.Persisted(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogPersistFailed(ex, snapshot.StateId);
            }
            _current = snapshot;
            LogChanged(snapshot.StateId, snapshot.Mode, snapshot.Reason);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Safety authority started at state {StateId}: {Mode} ({Reason})")]
    private partial void LogStarted(long stateId, SafetyMode mode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Safety state {StateId}: {Mode} ({Reason})")]
    private partial void LogChanged(long stateId, SafetyMode mode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "estop_clear from {Operator} refused: {Reason}")]
    private partial void LogClearRefused(string @operator, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not persist safety state {StateId} to the key-value bucket; a restart may lose it (check JetStream)")]
    private partial void LogPersistFailed(Exception ex, long stateId);
}
