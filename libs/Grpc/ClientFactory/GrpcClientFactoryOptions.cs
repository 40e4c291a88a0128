using Grpc.Net.Client;

namespace Grpc.Net.ClientFactory;

/// <summary>How <c>AddGrpcClient&lt;TClient&gt;</c> builds its channel (as Grpc.Net.ClientFactory's).</summary>
public sealed class GrpcClientFactoryOptions
{
    /// <summary>
    /// The server's address. When its host is a resource name (e.g. http://safety-authority), service discovery
    /// resolves it: the endpoint named "grpc" first (<c>services:&lt;name&gt;:grpc:0</c>, env
    /// <c>services__&lt;name&gt;__grpc__0</c>), then the one named after the scheme; other hosts are used as they are.
    /// </summary>
    public Uri? Address { get; set; }

    public IList<Action<GrpcChannelOptions>> ChannelOptionsActions { get; } = [];
}
