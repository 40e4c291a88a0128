using System.Runtime.CompilerServices;

namespace Aspire.Hosting.Orchestration;

/// <summary>Resource states as they change (Aspire's <c>ResourceNotificationService</c>): wait for a state or health, or watch.</summary>
public sealed class ResourceNotificationService
{
    private readonly Lock _gate = new();
    private IReadOnlyList<ResourceSnapshot> _current = [];
    private TaskCompletionSource _changed = NewSignal();

    public IReadOnlyList<ResourceSnapshot> Current
    {
        get { lock (_gate) return _current; }
    }

    /// <summary>Waits until every instance of <paramref name="resourceName"/> runs and answers its health probes.</summary>
    public Task WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default)
        => WaitForResourceAsync(resourceName, instances => instances.All(i => i.IsHealthy), cancellationToken);

    /// <summary>Waits until every instance of <paramref name="resourceName"/> is in <paramref name="state"/>.</summary>
    public Task WaitForResourceAsync(string resourceName, string state, CancellationToken cancellationToken = default)
        => WaitForResourceAsync(resourceName, instances => instances.All(i => i.State == state), cancellationToken);

    public async Task<IReadOnlyList<ResourceSnapshot>> WaitForResourceAsync(string resourceName, Func<IReadOnlyList<ResourceSnapshot>, bool> predicate, CancellationToken cancellationToken = default)
    {
        await foreach (var snapshots in WatchAsync(cancellationToken))
        {
            var instances = snapshots.Where(s => s.ResourceName == resourceName).ToList();
            if (instances.Count > 0 && predicate(instances)) return instances;
        }
        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>The current snapshots, then each change.</summary>
    public async IAsyncEnumerable<IReadOnlyList<ResourceSnapshot>> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task changed;
            IReadOnlyList<ResourceSnapshot> current;
            lock (_gate)
            {
                changed = _changed.Task;
                current = _current;
            }
            yield return current;
            await changed.WaitAsync(cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    internal void Publish(IReadOnlyList<ResourceSnapshot> snapshots)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            _current = snapshots;
            previous = _changed;
            _changed = NewSignal();
        }
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
