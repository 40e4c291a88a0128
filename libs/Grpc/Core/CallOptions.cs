namespace Grpc.Core;

/// <summary>Options of one client call: headers, deadline, cancellation.</summary>
public readonly struct CallOptions
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "Same parameter order as Grpc.Core.Api; generated clients call it.")]
    public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default, WriteOptions? writeOptions = null)
    {
        Headers = headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        WriteOptions = writeOptions;
    }

    public Metadata? Headers { get; }
    /// <summary>UTC; null or <see cref="DateTime.MaxValue"/> means none.</summary>
    public DateTime? Deadline { get; }
    public CancellationToken CancellationToken { get; }
    public WriteOptions? WriteOptions { get; }

    public CallOptions WithHeaders(Metadata headers) => new(headers, Deadline, CancellationToken, WriteOptions);
    public CallOptions WithDeadline(DateTime deadline) => new(Headers, deadline, CancellationToken, WriteOptions);
    public CallOptions WithCancellationToken(CancellationToken cancellationToken) => new(Headers, Deadline, cancellationToken, WriteOptions);
    public CallOptions WithWriteOptions(WriteOptions writeOptions) => new(Headers, Deadline, CancellationToken, writeOptions);
}
