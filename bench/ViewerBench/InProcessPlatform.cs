using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using Platform.TestSupport;
using Platform.Transport;
using Platform.Transport.Viewer;

namespace Platform.ViewerBench;

/// <summary>
/// A real nats-server, the transport in-process (as Program.cs builds it) and <see cref="VideoFeed"/> standing in
/// for sim-runner + encoder: real 720p30 libx264 access units, Capture-Ts stamped as each is published.
/// </summary>
internal sealed class InProcessPlatform : IBenchPlatform
{
    private NatsServer? _server;
    private WebApplication? _transport;
    private VideoFeed? _feed;

    private NatsConnection? _nats;

    public string Description => "in-process transport on a real nats-server, fed libx264 access units (ffmpeg testsrc2, ultrafast/zerolatency); Capture-Ts stamped at publish (encode time not included)";
    public INatsConnection Nats => _nats!;
    public string ViewerUrl { get; private set; } = "";

    public static async Task<InProcessPlatform> StartAsync()
    {
        var platform = new InProcessPlatform();
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

        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear(); // not the service's appsettings.json (its fixed ports)
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:nats"] = _server.Url });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddTransport();
        _transport = builder.Build();
        _transport.MapTransport();
        _transport.MapViewer();
        await _transport.StartAsync();
        ViewerUrl = $"http://127.0.0.1:{port}/?stream=main&client=bench";

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
