using System.Net;

namespace Grpc.Net.Client.Internal;

/// <summary>Request content written by the caller while the call runs: HttpClient hands over the HTTP/2 stream, the call completes it.</summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Stream> GetStreamAsync() => _stream.Task;

    /// <summary>Half-closes the request (END_STREAM).</summary>
    public void Complete() => _done.TrySetResult();

    public void Abort()
    {
        _stream.TrySetCanceled();
        _done.TrySetCanceled();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        await _done.Task.ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
