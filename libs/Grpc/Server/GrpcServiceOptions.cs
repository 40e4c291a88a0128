namespace Grpc.AspNetCore.Server;

/// <summary>Server options (as Grpc.AspNetCore's): bound in <c>services.AddGrpc(options => ...)</c>.</summary>
public sealed class GrpcServiceOptions
{
    /// <summary>Largest request message accepted; larger ones end the call with RESOURCE_EXHAUSTED. Null = no limit.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent; larger ones end the call with RESOURCE_EXHAUSTED. Null = no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Puts handler exception messages into the status detail (development only).</summary>
    public bool? EnableDetailedErrors { get; set; }
}
