using System.Collections.Concurrent;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>The services and methods mapped so far: tells UNIMPLEMENTED service from method, and lists services for health.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _services = new(StringComparer.Ordinal);

    public bool UnimplementedEndpointsMapped { get; set; }

    public IEnumerable<string> ServiceNames => _services.Keys;

    public void Add(string serviceName, string methodName) =>
        _services.GetOrAdd(serviceName, _ => new(StringComparer.Ordinal))[methodName] = true;

    public bool HasService(string serviceName) => _services.ContainsKey(serviceName);
}
