using System.Threading.Channels;
using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Hosting;

/// <summary>
/// Hands the loop's outputs to the NATS publisher and the JSONL log without ever blocking the loop: both queues are
/// bounded and drop their oldest item when a consumer falls behind (counted in <see cref="Dropped"/>).
/// The newest state is also kept for gRPC watchers.
/// </summary>
public sealed class SimOutbox
{
    private readonly Channel<SimOutput> _nats;
    private readonly Channel<SimOutput> _log;
    private long _dropped;
    private volatile SimStateMessage? _latest;
    private TaskCompletionSource _stateSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SimOutbox(int capacity = 4096)
    {
        var options = new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false };
        _nats = Channel.CreateBounded<SimOutput>(options, _ => Interlocked.Increment(ref _dropped));
        _log = Channel.CreateBounded<SimOutput>(options, _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelReader<SimOutput> ForNats => _nats.Reader;
    public ChannelReader<SimOutput> ForLog => _log.Reader;
    public long Dropped => Interlocked.Read(ref _dropped);
    public SimStateMessage? Latest => _latest;

    public void Write(SimOutput output)
    {
        _nats.Writer.TryWrite(output);
        if (output is not AckOutput) _log.Writer.TryWrite(output);
        if (output is StateOutput state)
        {
            _latest = state.State;
            Interlocked.Exchange(ref _stateSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>Completes when the next state record is written.</summary>
    public Task NextStateAsync(CancellationToken cancellationToken) => Volatile.Read(ref _stateSignal).Task.WaitAsync(cancellationToken);
}
