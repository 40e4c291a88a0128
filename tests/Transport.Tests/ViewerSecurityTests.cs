using System.Net;
using Microsoft.Playwright;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>
/// The viewer's web security in headless Chromium: it works under its own headers without a CSP violation; a page of
/// another origin can neither open the transport's sockets nor frame the viewer; over TLS it decodes H.264 and its
/// socket is wss://.
/// </summary>
public sealed class ViewerSecurityTests(ViewerPageFixture fixture) : IClassFixture<ViewerPageFixture>
{
    private const string OtherOrigin = "http://other-site.test";

    [Fact]
    public async Task The_viewer_runs_under_its_security_headers_without_a_violation()
    {
        await using var viewer = await fixture.OpenViewerAsync();
        // Reloaded to read the document's headers as Chromium received them; the page starts over under them.
        var response = await viewer.Page.ReloadAsync();
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.StartsWith("gamepad=(self)", headers["permissions-policy"], StringComparison.Ordinal);

        await viewer.WaitAsync("window.viewerStats.framesDecoded > 30 && !window.viewerStats.videoLost", "a second of H.264 drawn under the CSP");
        await fixture.PublishSafetyStateAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "ARMED", "csp");
        await viewer.WaitAsync("window.viewerStats.badgeMode === 'ARMED'", "telemetry on the badge");
        Assert.Empty(await viewer.CspViolationsAsync());
        Assert.DoesNotContain(viewer.Log, l => l.Contains("Content Security Policy", StringComparison.Ordinal) || l.Contains("Permissions-Policy", StringComparison.Ordinal));
        Assert.Empty(viewer.PageErrors);
    }

    [Fact]
    public async Task A_page_of_another_origin_cannot_open_the_sockets()
    {
        string[] sockets = [fixture.Transport.StreamUrl().ToString(), fixture.Transport.SignalsUrl().ToString()];
        const string open = """
            urls => Promise.all(urls.map(url => new Promise(resolve => {
              const ws = new WebSocket(url);
              ws.onopen = () => { resolve('open'); ws.close(); };
              ws.onclose = e => resolve(`closed ${e.code}`);
            })))
            """;

        // The same script on the viewer's own origin opens both: the refusal below is the origin's doing.
        await using (var viewer = await fixture.OpenViewerAsync(waitForVideo: false))
            Assert.Equal(["open", "open"], await viewer.Page.EvaluateAsync<string[]>(open, sockets));

        var page = await OtherSiteAsync("<!doctype html><title>other site</title>");
        try
        {
            Assert.Equal(["closed 1006", "closed 1006"], await page.EvaluateAsync<string[]>(open, sockets));
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Framing_the_viewer_from_another_origin_is_blocked()
    {
        var page = await OtherSiteAsync($"<!doctype html><title>other site</title><iframe src=\"{fixture.Transport.BaseUrl}/\" width=\"800\" height=\"600\"></iframe>");
        try
        {
            // The parent's load waits for its frame, blocked or not; a blocked frame holds Chromium's error page.
            await page.WaitForLoadStateAsync(LoadState.Load);
            var frame = Assert.Single(page.Frames, f => f != page.MainFrame);
            Assert.DoesNotContain(fixture.Transport.BaseUrl, frame.Url, StringComparison.Ordinal);
            Assert.Null(await frame.QuerySelectorAsync("#estop"));
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Over_TLS_the_viewer_decodes_H264_through_a_wss_socket()
    {
        using var certificate = new TestCertificate();
        await using var transport = await TransportServer.StartAsync(fixture.NatsUrl, settings: certificate.KestrelSettings);

        await using var viewer = await ViewerPage.OpenAsync(fixture.Chromium, $"https://localhost:{transport.Port}/?stream=main", ignoreHttpsErrors: true);
        await viewer.WaitAsync("window.viewerStats.framesDecoded > 30", "a second of H.264 drawn over https");
        Assert.True(await viewer.EvaluateAsync<bool>("window.isSecureContext && location.protocol === 'https:'"));
        Assert.Equal("H.264", (await viewer.StatsAsync())["codec"]!.GetValue<string>());
        Assert.StartsWith($"wss://localhost:{transport.Port}/stream/ws?", Assert.Single(viewer.WebSocketUrls), StringComparison.Ordinal);
        Assert.Empty(await viewer.CspViolationsAsync());
        Assert.Empty(viewer.PageErrors);

        // HSTS over TLS, for a host name (ASP.NET Core leaves it off for localhost, where it would outlive the test).
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{transport.Port}/");
        request.Headers.Host = "viewer.example";
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("max-age=", string.Join(",", response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' wss://viewer.example", string.Join(",", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    /// <summary>A page of another site (served by Playwright, never by the transport) with <paramref name="html"/>.</summary>
    private async Task<IPage> OtherSiteAsync(string html)
    {
        var page = await fixture.Chromium.NewPageAsync();
        await page.RouteAsync(OtherOrigin + "/**", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = html }));
        await page.GotoAsync(OtherOrigin + "/");
        return page;
    }
}
