using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Platform.TestSupport;

/// <summary>
/// The transport's viewer page open in <see cref="Chromium"/>, read through its read-only <c>window.viewerStats</c>.
/// Waits show the page's stats and console on a timeout.
/// </summary>
public sealed class ViewerPage : IAsyncDisposable
{
    private readonly List<string> _log;
    private readonly List<string> _webSockets = [];

    public IPage Page { get; }

    /// <summary>The page's console messages and errors so far.</summary>
    public IReadOnlyList<string> Log
    {
        get { lock (_log) return [.. _log]; }
    }

    /// <summary>
    /// Opens <paramref name="url"/> (the viewer, with its query) and waits until it has drawn frames and video is live
    /// (unless <paramref name="waitForVideo"/> is false). <paramref name="ignoreHttpsErrors"/> accepts a test's
    /// self-signed certificate.
    /// </summary>
    public static async Task<ViewerPage> OpenAsync(Chromium chromium, string url, TimeSpan? timeout = null, bool waitForVideo = true, bool ignoreHttpsErrors = false)
    {
        var log = new List<string>();
        var viewer = new ViewerPage(await chromium.NewPageAsync(log, ignoreHttpsErrors), log);
        try
        {
            viewer.Page.WebSocket += (_, socket) =>
            {
                lock (viewer._webSockets) viewer._webSockets.Add(socket.Url);
            };
            // Added by the browser before any page script, outside the page's CSP: every violation of the policy.
            await viewer.Page.AddInitScriptAsync("""
                window.cspViolations = [];
                document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
                """);
            // The page's scripts are modules (deferred): DOMContentLoaded is enough, and a loaded machine can take longer
            // than Playwright's 30 s default to fire "load" for a browser that shares the cores with the platform.
            var wait = timeout ?? TimeSpan.FromSeconds(20);
            await viewer.Page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = (float)Math.Max(wait.TotalMilliseconds, Eventually.DefaultTimeout.TotalMilliseconds) });
            if (waitForVideo) await viewer.WaitAsync("window.viewerStats.framesDecoded > 5 && !window.viewerStats.videoLost", "the viewer drawing frames", wait);
            return viewer;
        }
        catch
        {
            await viewer.DisposeAsync();
            throw;
        }
    }

    /// <summary>The URLs of the WebSockets the page opened.</summary>
    public IReadOnlyList<string> WebSocketUrls
    {
        get { lock (_webSockets) return [.. _webSockets]; }
    }

    /// <summary>The <c>securitypolicyviolation</c> events the page raised so far (none is expected).</summary>
    public async Task<IReadOnlyList<string>> CspViolationsAsync() => await Page.EvaluateAsync<string[]>("window.cspViolations");

    private ViewerPage(IPage page, List<string> log)
    {
        Page = page;
        _log = log;
    }

    /// <summary>Waits until a JavaScript expression on the page is true.</summary>
    public async Task WaitAsync(string condition, string what, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.WaitAsync(async () => await Page.EvaluateAsync<bool>(condition), what, timeout ?? Eventually.DefaultTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nviewerStats: {await Page.EvaluateAsync<string>("JSON.stringify(window.viewerStats)")}\nconsole:\n{string.Join("\n", Log)}", ex);
        }
    }

    /// <summary>window.viewerStats as JSON.</summary>
    public async Task<JsonNode> StatsAsync() => JsonNode.Parse(await Page.EvaluateAsync<string>("JSON.stringify(window.viewerStats)"))!;

    public Task<T> EvaluateAsync<T>(string expression) => Page.EvaluateAsync<T>(expression);

    /// <summary>
    /// How many distinct colours (5 bits per channel) a grid of samples of the video canvas holds: 1 for a blank
    /// canvas, many for a drawn frame.
    /// </summary>
    public Task<int> CanvasColoursAsync() => Page.EvaluateAsync<int>("""
        () => {
          const c = document.getElementById('video');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          const seen = new Set();
          for (let i = 0; i < d.length; i += 4 * 997) seen.add((d[i] >> 3) << 10 | (d[i + 1] >> 3) << 5 | (d[i + 2] >> 3));
          return seen.size;
        }
        """);

    /// <summary>Errors thrown by the page's scripts (none is expected).</summary>
    public IReadOnlyList<string> PageErrors => Log.Where(l => l.StartsWith("page error", StringComparison.Ordinal)).ToList();

    public async Task ScreenshotAsync(string artifactName)
        => await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ArtifactPath(artifactName) });

    public async ValueTask DisposeAsync() => await Page.CloseAsync();
}
