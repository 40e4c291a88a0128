namespace Grpc.Core;

/// <summary>Receives a service's methods from the generated <c>BindService(ServiceBinderBase, TService)</c>.</summary>
public class ServiceBinderBase
{
    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class => throw new NotImplementedException();

    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class => throw new NotImplementedException();

    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class => throw new NotImplementedException();

    public virtual void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class => throw new NotImplementedException();
}

/// <summary>Names the static method that binds a generated service base class (<c>BindService(ServiceBinderBase, TService)</c>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BindServiceMethodAttribute : Attribute
{
    public BindServiceMethodAttribute(Type bindType, string bindMethodName)
    {
        BindType = bindType;
        BindMethodName = bindMethodName;
    }

    public Type BindType { get; }
    public string BindMethodName { get; }
}
