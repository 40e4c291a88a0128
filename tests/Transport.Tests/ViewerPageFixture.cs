using System.Text.Json.Nodes;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>
/// One real nats-server, the transport in-process, real H.264 on video.main.live (ffmpeg/libx264 at 30 fps) and
/// headless Chromium, shared by the viewer page tests (each opens its own page).
/// </summary>
public sealed class ViewerPageFixture : IAsyncLifetime
{
    private NatsServer? _server;

    public string NatsUrl => _server!.Url;
    public NatsConnection Nats { get; private set; } = null!;
    public TransportServer Transport { get; private set; } = null!;
    public VideoFeed Video { get; private set; } = null!;
    public Chromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await NatsServer.StartAsync();
        Nats = new NatsConnection(NatsOpts.Default with { Url = _server.Url, Name = "viewer-page-tests" });
        await Nats.ConnectAsync();
        Transport = await TransportServer.StartAsync(_server.Url);
        Video = await VideoFeed.StartAsync(Nats);
        Chromium = await Chromium.LaunchAsync();
    }

    /// <summary>
    /// Opens the viewer on the transport and waits until it has drawn frames. Unless a test says otherwise, VIDEO STALE
    /// waits a second (not 300 ms): a loaded test machine delays pictures, and only the staleness tests are about that.
    /// </summary>
    public Task<ViewerPage> OpenViewerAsync(string stream = "main", bool waitForVideo = true, string query = "stale_ms=1000")
        => ViewerPage.OpenAsync(Chromium, $"{Transport.BaseUrl}/?stream={stream}&{query}", waitForVideo: waitForVideo);

    /// <summary>Publishes a safety.state as the authority would.</summary>
    public ValueTask PublishSafetyStateAsync(long stateId, string mode, string reason)
        => Nats.PublishAsync("safety.state", new JsonObject
        {
            ["state_id"] = stateId,
            ["mode"] = mode,
            ["reason"] = reason,
            ["since_ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["sources"] = new JsonArray(),
        }.ToJsonString());

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        if (Video is not null) await Video.DisposeAsync();
        if (Transport is not null) await Transport.DisposeAsync();
        if (Nats is not null) await Nats.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }
}
