using Microsoft.Playwright;

namespace Platform.TestSupport;

/// <summary>
/// Debian's headless Chromium (/usr/bin/chromium) driven through Microsoft.Playwright's bundled driver; no
/// `playwright install`, nothing downloaded. WebCodecs H.264 decoding works here without flags, in a secure context
/// (http://127.0.0.1 or localhost counts as one).
/// TestSupport references Playwright privately: a project that uses this type adds its own
/// <c>&lt;PackageReference Include="Microsoft.Playwright" /&gt;</c> (that copies the driver into its output);
/// the others do not carry the driver.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: run `bash eng/install-deps.sh` (apt-get install chromium).");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--autoplay-policy=no-user-gesture-required", "--disable-background-timer-throttling", "--disable-renderer-backgrounding"],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new page of 1600x900 whose console errors and page errors are collected in <paramref name="log"/>;
    /// <paramref name="ignoreHttpsErrors"/> accepts a test's self-signed certificate.
    /// </summary>
    public async Task<IPage> NewPageAsync(ICollection<string>? log = null, bool ignoreHttpsErrors = false)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 }, IgnoreHTTPSErrors = ignoreHttpsErrors });
        if (log is not null)
        {
            page.Console += (_, message) =>
            {
                lock (log) log.Add($"console.{message.Type}: {message.Text}");
            };
            page.PageError += (_, error) =>
            {
                lock (log) log.Add($"page error: {error}");
            };
        }
        return page;
    }

    /// <summary>Where a test saves a screenshot: artifacts/test-results/&lt;name&gt; under the repository root.</summary>
    public static string ArtifactPath(string name)
    {
        var folder = Path.Combine(RepoPaths.Root, "artifacts", "test-results");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
