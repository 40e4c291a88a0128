namespace Grpc.Core;

/// <summary>Base of the generated clients.</summary>
public abstract class ClientBase
{
    private readonly ClientBaseConfiguration _configuration;

    protected ClientBase() : this(new UnimplementedCallInvoker())
    {
    }

    protected ClientBase(ChannelBase channel) : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker())
    {
    }

    protected ClientBase(CallInvoker callInvoker) : this(new ClientBaseConfiguration(callInvoker ?? throw new ArgumentNullException(nameof(callInvoker)), null))
    {
    }

    protected ClientBase(ClientBaseConfiguration configuration) => _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));

    public CallInvoker CallInvoker => _configuration.CallInvoker;

    internal ClientBaseConfiguration Configuration => _configuration;

    /// <summary>What a client is made of; kept so that configured copies can be made.</summary>
    protected internal class ClientBaseConfiguration
    {
        internal ClientBaseConfiguration(CallInvoker callInvoker, string? host)
        {
            CallInvoker = callInvoker;
            Host = host;
        }

        internal CallInvoker CallInvoker { get; }
        internal string? Host { get; }
    }

    /// <summary>Used by the protected parameterless constructor (test doubles override every method).</summary>
    private sealed class UnimplementedCallInvoker : CallInvoker
    {
        private static InvalidOperationException NoInvoker() => new("This client was created without a channel or call invoker.");

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw NoInvoker();
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw NoInvoker();
        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw NoInvoker();
        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw NoInvoker();
        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw NoInvoker();
    }
}

/// <summary>Base of the generated clients, typed so that configured copies keep their type.</summary>
public abstract class ClientBase<T> : ClientBase where T : ClientBase<T>
{
    protected ClientBase()
    {
    }

    protected ClientBase(ChannelBase channel) : base(channel)
    {
    }

    protected ClientBase(CallInvoker callInvoker) : base(callInvoker)
    {
    }

    protected ClientBase(ClientBaseConfiguration configuration) : base(configuration)
    {
    }

    /// <summary>A copy of this client whose calls go to <paramref name="host"/>.</summary>
    public T WithHost(string host) => NewInstance(new ClientBaseConfiguration(CallInvoker, host ?? throw new ArgumentNullException(nameof(host))));

    protected abstract T NewInstance(ClientBaseConfiguration configuration);
}
