using Grpc.Net.Client;

namespace Grpc.Net.ClientFactory;

/// <summary>How <c>AddGrpcClient&lt;TClient&gt;</c> builds its channel (as Grpc.Net.ClientFactory's).</summary>
public sealed class GrpcClientFactoryOptions
{
    /// <summary>
    /// The server's address. When its host is a resource name (e.g. http://safety-authority) and configuration has
    /// <c>services:&lt;name&gt;:grpc:0</c> (env <c>services__&lt;name&gt;__grpc__0</c>), that endpoint is used instead.
    /// </summary>
    public Uri? Address { get; set; }

    public IList<Action<GrpcChannelOptions>> ChannelOptionsActions { get; } = [];
}
