using Grpc.Core;
using Platform.Contracts.Encoder.V1;
using Platform.TestSupport;
using EncoderClient = Platform.Contracts.Encoder.V1.Encoder.EncoderClient;

namespace Platform.Encoder.Tests.Wired;

/// <summary>A client-streaming Ingest call from the test, with sends paced on what the encoder has published.</summary>
internal sealed class IngestCall(AsyncClientStreamingCall<RawFrame, IngestSummary> call) : IDisposable
{
    public int Sent { get; private set; }

    public static IngestCall Start(EncoderClient client, CancellationToken cancellationToken = default)
        => new(client.Ingest(cancellationToken: cancellationToken));

    public async Task SendAsync(RawFrame frame)
    {
        await call.RequestStream.WriteAsync(frame);
        Sent++;
    }

    /// <summary>Sends once all but one of the earlier frames are on <paramref name="live"/>: the two-frame hand-off never overflows.</summary>
    public async Task SendPacedAsync(RawFrame frame, VideoCapture live, int publishedBefore = 0)
    {
        var waitFor = publishedBefore + Sent - 1;
        await Eventually.WaitAsync(() => live.Count >= waitFor, $"{waitFor} access units before sending frame {frame.FrameId} (have {live.Count})");
        await SendAsync(frame);
    }

    public async Task<IngestSummary> CompleteAsync()
    {
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    public Task<IngestSummary> Response => call.ResponseAsync;

    public void Dispose() => call.Dispose();
}
