using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Subjects;
using Platform.SafetyAuthority.State;

namespace Platform.SafetyAuthority.Hosting;

/// <summary>
/// The one owner of the <see cref="SafetyStateMachine"/>: inputs from NATS and gRPC are serialized here; every change
/// is persisted to the latch store first, then announced to the publisher and watchers. A write that fails is retried
/// until it is stored (<see cref="Unstored"/> says which state waits, and the health check reports degraded).
/// </summary>
public sealed partial class SafetyAuthorityState(ILatchStore store, IOptions<SafetyAuthorityOptions> options, TimeProvider time, ILogger<SafetyAuthorityState> logger) : IDisposable
{
    private readonly SafetyAuthorityOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Lock _unsavedLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Unsaved? _unsaved;
    private Task? _retrying;
    private int _saveFailures;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SafetyStateMachine? _machine;
    private volatile SafetyStateMessage? _current;

    /// <summary>Completes once the persisted latch has been read back (or start-up gave up and latched).</summary>
    public Task Ready => _ready.Task;

    /// <summary>The state_id announced but not yet stored (the latch store is failing), or null when all is stored.</summary>
    public long? Unstored
    {
        get
        {
            lock (_unsavedLock) return _unsaved?.StateId;
        }
    }

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
            lock (_unsavedLock) _unsaved = new Unsaved(snapshot.StateId, machine.Persisted());
            // Persist before announcing, so a restart right after never forgets a latch it already published; but a
            // store that does not answer in time does not hold an ESTOP back: it is announced, and stored by the retries.
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attempt.CancelAfter(_options.PersistTimeoutMs);
                if (!await TrySaveLatestAsync(attempt.Token).ConfigureAwait(false)) EnsureRetrying();
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

    /// <summary>Writes the newest unsaved state (never an older one after a newer: writes are one at a time).</summary>
    private async Task<bool> TrySaveLatestAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        try
        {
            Unsaved? latest;
            lock (_unsavedLock) latest = _unsaved;
            if (latest is null) return true;
            await store.SaveAsync(latest.State, cancellationToken).ConfigureAwait(false);
            lock (_unsavedLock)
            {
                if (ReferenceEquals(_unsaved, latest)) _unsaved = null;
                return _unsaved is null;
            }
        }
        catch (Exception ex)
        {
            var failures = Interlocked.Increment(ref _saveFailures);
            if (failures == 1 || failures % 20 == 0) LogPersistFailed(ex, _unsaved?.StateId ?? 0, failures);
            return false;
        }
        finally
        {
            _write.Release();
        }
    }

    private void EnsureRetrying()
    {
        lock (_unsavedLock)
        {
            if (_retrying is { IsCompleted: false }) return;
            _retrying = Task.Run(RetryUntilStoredAsync);
        }
    }

    /// <summary>Retries with backoff until the newest state is stored; <see cref="Unstored"/> says so meanwhile.</summary>
    private async Task RetryUntilStoredAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(backoff, time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await TrySaveLatestAsync(_stopping.Token).ConfigureAwait(false))
            {
                var failures = Interlocked.Exchange(ref _saveFailures, 0);
                LogPersistRecovered(_current?.StateId ?? 0, failures);
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _gate.Dispose();
        _write.Dispose();
    }

    private sealed record Unsaved(long StateId, PersistedSafetyState State);

    [LoggerMessage(Level = LogLevel.Information, Message = "Safety authority started at state {StateId}: {Mode} ({Reason})")]
    private partial void LogStarted(long stateId, SafetyMode mode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Safety state {StateId}: {Mode} ({Reason})")]
    private partial void LogChanged(long stateId, SafetyMode mode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "estop_clear from {Operator} refused: {Reason}")]
    private partial void LogClearRefused(string @operator, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store safety state {StateId} in the key-value bucket ({Failures} failed tries); retrying until it is stored, health degraded meanwhile (check JetStream)")]
    private partial void LogPersistFailed(Exception ex, long stateId, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Safety state {StateId} stored in the key-value bucket after {Failures} failed tries")]
    private partial void LogPersistRecovered(long stateId, int failures);
}
