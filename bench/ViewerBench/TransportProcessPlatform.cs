using NATS.Client.Core;
using Platform.TestSupport;
using Platform.TransportBench;

namespace Platform.ViewerBench;

/// <summary>
/// A real nats-server, the built transport as a child process (its real Program, as TransportBench runs it) and
/// <see cref="VideoFeed"/> standing in for sim-runner + encoder: real 720p30 libx264 access units, Capture-Ts stamped
/// as each is published.
/// </summary>
internal sealed class TransportProcessPlatform : IBenchPlatform
{
    private NatsServer? _server;
    private TransportProcess? _transport;
    private VideoFeed? _feed;

    private NatsConnection? _nats;

    public string Description => "the built transport (child process) on a real nats-server, fed libx264 access units (ffmpeg testsrc2, ultrafast/zerolatency); Capture-Ts stamped at publish (encode time not included)";
    public INatsConnection Nats => _nats!;
    public string ViewerUrl { get; private set; } = "";

    public static async Task<TransportProcessPlatform> StartAsync()
    {
        var platform = new TransportProcessPlatform();
        try
        {
            await platform.StartCoreAsync();
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync()
    {
        _server = await NatsServer.StartAsync();
        _nats = new NatsConnection(NatsOpts.Default with { Url = _server.Url, Name = "viewer-bench" });
        await _nats.ConnectAsync();
        _transport = await TransportProcess.StartAsync(_server.Url);
        ViewerUrl = $"http://127.0.0.1:{_transport.Port}/?stream=main&client=bench";
        _feed = await VideoFeed.StartAsync(_nats);
    }

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null) await _feed.DisposeAsync();
        if (_transport is not null) await _transport.DisposeAsync();
        if (_nats is not null) await _nats.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }
}
