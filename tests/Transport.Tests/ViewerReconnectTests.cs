using System.Text.Json;
using Platform.Contracts.Subjects;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>The viewer's connection: it comes back by itself after the transport restarts, and not after its session is terminated.</summary>
public sealed class ViewerReconnectTests(NatsFixture nats) : IClassFixture<NatsFixture>, IAsyncLifetime
{
    private TransportServer? _transport;
    private VideoFeed _video = null!;
    private Chromium _chromium = null!;
    private ViewerPage? _page;

    public async Task InitializeAsync()
    {
        _transport = await TransportServer.StartAsync(nats.Server.Url);
        _video = await VideoFeed.StartAsync(nats.Nats);
        _chromium = await Chromium.LaunchAsync();
    }

    [Fact]
    public async Task The_page_reconnects_after_the_transport_restarts_and_shows_video_again()
    {
        _page = await ViewerPage.OpenAsync(_chromium, _transport!.BaseUrl + "/?stream=main");
        var port = _transport!.Port;

        await _transport!.DisposeAsync();
        _transport = null;
        await _page.WaitAsync("!window.viewerStats.connected && window.viewerStats.videoLost", "the page noticing the transport is gone");
        // The status alternates between "retry in …" (backing off) and "connecting (attempt n)": wait for the former.
        await _page.WaitAsync("document.getElementById('connection-text').textContent.includes('retry in')", "the backoff shown");

        _transport = await TransportServer.StartAsync(nats.Server.Url, requestedPort: port);
        await _page.WaitAsync("window.viewerStats.connected && !window.viewerStats.videoLost", "connected with video again", TimeSpan.FromSeconds(20));
        Assert.True((await _page.StatsAsync())["reconnects"]!.GetValue<int>() >= 1);
        Assert.Empty(_page.PageErrors);
    }

    [Fact]
    public async Task A_terminated_session_ends_the_connection_and_the_page_does_not_rejoin_it()
    {
        _page = await ViewerPage.OpenAsync(_chromium, _transport!.BaseUrl + "/?stream=main&session=ops1");
        await nats.Nats.PublishAsync(SubjectNames.SessionTerminate("ops1"),
            JsonSerializer.Serialize(new SessionTerminateMessage("recording_failed", "no sink takes data"), SubjectsJsonContext.Default.SessionTerminateMessage));

        await _page.WaitAsync("!window.viewerStats.connected", "the connection closed");
        await _page.WaitAsync("document.getElementById('connection-text').textContent.includes('session terminated: recording_failed')", "the reason shown");
        // Its first retry would come within 250 ms: a second later there must still have been none.
        await Task.Delay(1000);
        Assert.Equal(0, (await _page.StatsAsync())["reconnects"]!.GetValue<int>());
        Assert.False((await _page.StatsAsync())["connected"]!.GetValue<bool>());
    }

    public async Task DisposeAsync()
    {
        if (_page is not null) await _page.DisposeAsync();
        await _chromium.DisposeAsync();
        await _video.DisposeAsync();
        if (_transport is not null) await _transport.DisposeAsync();
    }
}
