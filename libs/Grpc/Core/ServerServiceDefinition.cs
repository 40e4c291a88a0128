namespace Grpc.Core;

/// <summary>A service's methods bound to one implementation instance (from the generated <c>BindService(TServiceBase)</c>).</summary>
public class ServerServiceDefinition
{
    private readonly IReadOnlyList<Action<ServiceBinderBase>> _addMethodActions;

    private ServerServiceDefinition(IReadOnlyList<Action<ServiceBinderBase>> addMethodActions) => _addMethodActions = addMethodActions;

    /// <summary>Replays the methods into <paramref name="serviceBinder"/>.</summary>
    public void BindService(ServiceBinderBase serviceBinder)
    {
        ArgumentNullException.ThrowIfNull(serviceBinder);
        foreach (var add in _addMethodActions) add(serviceBinder);
    }

    public static Builder CreateBuilder() => new();

    public class Builder
    {
        private readonly Dictionary<string, Action<ServiceBinderBase>> _methods = new(StringComparer.Ordinal);

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class => Add(method, b => b.AddMethod(method, handler));

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class => Add(method, b => b.AddMethod(method, handler));

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class => Add(method, b => b.AddMethod(method, handler));

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class => Add(method, b => b.AddMethod(method, handler));

        public ServerServiceDefinition Build() => new(_methods.Values.ToList());

        private Builder Add(IMethod method, Action<ServiceBinderBase> add)
        {
            if (!_methods.TryAdd(method.FullName, add))
                throw new ArgumentException($"Method {method.FullName} is already registered.", nameof(method));
            return this;
        }
    }
}
