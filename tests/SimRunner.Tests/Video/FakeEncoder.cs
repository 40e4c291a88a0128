using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Encoder.V1;
using Platform.TestSupport;

namespace Platform.SimRunner.Tests.Video;

/// <summary>One frame as the fake encoder read it (the pixels are summarised, not kept).</summary>
internal sealed record ReceivedFrame(
    int Call, string Stream, ulong FrameId, long PtsUs, long CaptureTsUs, uint Width, uint Height, PixelFormat Format,
    int DataLength, int DistinctSampledBytes, long ReceivedAtUs)
{
    public TimeSpan Age => TimeSpan.FromMicroseconds(ReceivedAtUs - CaptureTsUs);
}

/// <summary>What the fake encoder saw, and how it behaves (read delay, failing a call after some frames).</summary>
internal sealed class FakeEncoderProbe
{
    private int _calls;

    public ConcurrentQueue<ReceivedFrame> Frames { get; } = new();
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Wait before reading each next frame: a slow encoder.</summary>
    public TimeSpan ReadDelay { get; set; }

    /// <summary>When set, the first call ends with INVALID_ARGUMENT after this many frames.</summary>
    public int? FailFirstCallAfter { get; set; }

    /// <summary>When set, the first call stops reading after this many frames and never returns: a hung encoder.</summary>
    public int? HangFirstCallAfter { get; set; }

    public int NextCall() => Interlocked.Increment(ref _calls);
}

/// <summary>A real <c>Encoder</c> gRPC service whose Ingest records what arrives.</summary>
internal sealed class FakeEncoderService(FakeEncoderProbe probe) : Encoder.EncoderBase
{
    public override async Task<IngestSummary> Ingest(IAsyncStreamReader<RawFrame> requestStream, ServerCallContext context)
    {
        var call = probe.NextCall();
        var summary = new IngestSummary();
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var f = requestStream.Current;
            var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
            var sampled = new HashSet<byte>();
            var data = f.Data.Span;
            for (var i = 0; i < data.Length; i += 997) sampled.Add(data[i]);
            probe.Frames.Enqueue(new ReceivedFrame(call, f.Stream, f.FrameId, f.PtsUs, f.CaptureTsUs, f.Width, f.Height, f.PixelFormat, data.Length, sampled.Count, now));
            summary.FramesReceived++;
            summary.LastFrameId = f.FrameId;
            if (call == 1 && summary.FramesReceived == (ulong?)probe.FailFirstCallAfter)
                throw new RpcException(new Status(StatusCode.InvalidArgument, "fake encoder: this stream is refused"));
            if (call == 1 && summary.FramesReceived == (ulong?)probe.HangFirstCallAfter)
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            if (probe.ReadDelay > TimeSpan.Zero) await Task.Delay(probe.ReadDelay, context.CancellationToken);
        }
        return summary;
    }
}

/// <summary>The fake encoder on Kestrel (h2c) on a given or free loopback port.</summary>
internal sealed class FakeEncoderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private FakeEncoderServer(WebApplication app, int port, FakeEncoderProbe probe)
    {
        _app = app;
        Port = port;
        Probe = probe;
    }

    public int Port { get; }
    public FakeEncoderProbe Probe { get; }
    public string Address => $"http://127.0.0.1:{Port}";

    public static async Task<FakeEncoderServer> StartAsync(int? port = null, FakeEncoderProbe? probe = null)
    {
        var listenPort = port ?? FreePort.Next();
        probe ??= new FakeEncoderProbe();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(listenPort, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(probe);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<FakeEncoderService>();
        await app.StartAsync();
        return new FakeEncoderServer(app, listenPort, probe);
    }

    /// <summary>Stops at once, aborting the stream in flight (an encoder crash, as the client sees it).</summary>
    public async Task KillAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        try { await _app.StopAsync(now.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await _app.StopAsync(soon.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
