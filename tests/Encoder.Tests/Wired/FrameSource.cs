using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Subjects;

namespace Platform.Encoder.Tests.Wired;

/// <summary>A source like the sim-runner's: one Ingest call sending about 30 fps until stopped, paced so nothing is dropped.</summary>
internal sealed class FrameSource : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IngestCall _call;
    private readonly Task _loop;

    private FrameSource(IngestCall call, VideoCapture live, string stream)
    {
        _call = call;
        Live = live;
        _loop = Task.Run(() => RunAsync(stream));
    }

    public VideoCapture Live { get; }

    public IngestSummary? Summary { get; private set; }

    public static async Task<FrameSource> StartAsync(EncoderFixture fx, string stream)
    {
        var live = await VideoCapture.StartAsync(fx.Nats, SubjectNames.VideoLive(stream));
        return new FrameSource(IngestCall.Start(fx.Client), live, stream);
    }

    public Task WaitForFramesAsync(int count) => Live.WaitForCountAsync(count);

    private async Task RunAsync(string stream)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(33));
        ulong id = 0;
        try
        {
            do
            {
                await _call.SendPacedAsync(TestFrames.I420(stream, id++), Live);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        Summary = await _call.CompleteAsync();
    }

    /// <summary>Ends the call and waits for its summary.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _call.Dispose();
        _stop.Dispose();
        await Live.DisposeAsync();
    }
}
