using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Platform.Nats;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>
/// One real nats-server, the transport in-process, real H.264 on video.main.live (ffmpeg/libx264 at 30 fps) and
/// headless Chromium, shared by the viewer page tests (each opens its own page).
/// </summary>
public sealed class ViewerPageFixture : IAsyncLifetime
{
    private NatsServer? _server;

    public NatsConnection Nats { get; private set; } = null!;
    public TransportServer Transport { get; private set; } = null!;
    public H264VideoFeed Video { get; private set; } = null!;
    public Chromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await NatsServer.StartAsync();
        Nats = new NatsConnection(NatsOpts.Default with { Url = _server.Url, Name = "viewer-page-tests" });
        await Nats.ConnectAsync();
        Transport = await TransportServer.StartAsync(_server.Url);
        Video = await H264VideoFeed.StartAsync(Nats);
        Chromium = await Chromium.LaunchAsync();
    }

    /// <summary>Opens the viewer and waits until it has drawn frames; <paramref name="log"/> collects the page's console errors.</summary>
    public async Task<IPage> OpenViewerAsync(List<string> log, string query = "?stream=main")
    {
        var page = await Chromium.NewPageAsync(log);
        await page.GotoAsync(Transport.BaseUrl + "/" + query);
        await WaitAsync(page, "window.viewerStats.framesDecoded > 5 && !window.viewerStats.videoLost", "the viewer drawing frames", log);
        return page;
    }

    /// <summary>Waits until a JavaScript condition on the page holds; a timeout shows the page's stats and console.</summary>
    public static async Task WaitAsync(IPage page, string condition, string what, List<string> log, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.WaitAsync(async () => await page.EvaluateAsync<bool>(condition), what, timeout ?? TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException ex)
        {
            var stats = await page.EvaluateAsync<string>("JSON.stringify(window.viewerStats)");
            string console;
            lock (log) console = string.Join("\n", log);
            throw new TimeoutException($"{ex.Message}\nviewerStats: {stats}\nconsole:\n{console}", ex);
        }
    }

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
