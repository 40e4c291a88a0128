namespace Platform.Grpc.Shared;

/// <summary>Header names and values of gRPC over HTTP/2 (grpc/grpc doc/PROTOCOL-HTTP2.md).</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string IdentityEncoding = "identity";
    public const string TeHeader = "te";
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";
    public const int HeaderSize = 5;
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>"application/grpc", "application/grpc+proto", "application/grpc;..." (not "application/grpc-web").</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)) return false;
        if (contentType.Length == ContentType.Length) return true;
        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }

    /// <summary>Headers that belong to the protocol, not to the call's metadata.</summary>
    public static bool IsReservedHeader(string name) =>
        name.StartsWith(':')
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals(TeHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals(TimeoutHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(EncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(StatusHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(MessageHeader, StringComparison.OrdinalIgnoreCase);
}
