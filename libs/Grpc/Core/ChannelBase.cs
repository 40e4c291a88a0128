namespace Grpc.Core;

/// <summary>A connection to one target that clients make calls on.</summary>
public abstract class ChannelBase
{
    protected ChannelBase(string target) => Target = target ?? throw new ArgumentNullException(nameof(target));

    public string Target { get; }

    public abstract CallInvoker CreateCallInvoker();

    public Task ShutdownAsync() => ShutdownAsyncCore();

    protected virtual Task ShutdownAsyncCore() => Task.CompletedTask;
}
