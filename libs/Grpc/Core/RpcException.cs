namespace Grpc.Core;

/// <summary>Thrown when a call ends with a status other than OK (client side), or to end a call with a status (server side).</summary>
public class RpcException : Exception
{
    public RpcException(Status status) : this(status, Metadata.Empty, status.Detail)
    {
    }

    public RpcException(Status status, string message) : this(status, Metadata.Empty, message)
    {
    }

    public RpcException(Status status, Metadata trailers) : this(status, trailers, status.Detail)
    {
    }

    public RpcException(Status status, Metadata trailers, string message)
        : base(FormatMessage(status, message), status.DebugException)
    {
        Status = status;
        Trailers = trailers ?? throw new ArgumentNullException(nameof(trailers));
    }

    public Status Status { get; }
    public StatusCode StatusCode => Status.StatusCode;
    public Metadata Trailers { get; }

    private static string FormatMessage(Status status, string message)
        => message == status.Detail ? status.ToString() : message;
}
