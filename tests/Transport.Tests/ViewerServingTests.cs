using System.Net;
using Platform.Transport.Viewer;

namespace Platform.Transport.Tests;

/// <summary>
/// The viewer page is served by the transport's Program from the wwwroot copied next to its assembly: ServiceDefaults'
/// endpoints (health, gRPC health and its POST-only unimplemented route) come first and must not shadow the page's files.
/// </summary>
public sealed class ViewerServingTests(NatsFixture nats) : IClassFixture<NatsFixture>, IAsyncLifetime
{
    private TransportServer? _transport;

    public async Task InitializeAsync() => _transport = await TransportServer.StartAsync(nats.Server.Url);

    [Fact]
    public async Task The_root_serves_the_viewer_page()
    {
        using var http = Client();
        using var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"estop\"", html, StringComparison.Ordinal);
        Assert.Contains("js/main.js", html, StringComparison.Ordinal);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/js/main.js")]
    [InlineData("/css/viewer.css")]
    public async Task The_page_and_its_files_carry_the_security_headers(string path)
    {
        using var http = Client();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains($"connect-src 'self' ws://127.0.0.1:{_transport!.Port}", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.StartsWith("gamepad=(self), ", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        // HSTS only over TLS (ViewerSecurityTests covers https).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_page_has_no_inline_script_or_style()
    {
        using var http = Client();
        var html = await http.GetStringAsync("/");
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\s(style|on[a-z]+)=", html);
    }

    private static string Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"no {name} header");

    [Theory]
    [InlineData("/js/protocol.js")]
    [InlineData("/js/main.js")]
    [InlineData("/js/h264-decoder.js")]
    public async Task Modules_are_served_as_javascript(string path)
    {
        using var http = Client();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Browsers refuse an ES module served with any other MIME type.
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"\b(import|export)\b", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_module_the_page_imports_is_served()
    {
        using var http = Client();
        var main = await http.GetStringAsync("/js/main.js");
        var imports = System.Text.RegularExpressions.Regex.Matches(main, @"from '\./([a-z0-9-]+\.js)'").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(imports);
        foreach (var module in imports)
        {
            using var response = await http.GetAsync("/js/" + module);
            Assert.True(response.IsSuccessStatusCode, $"/js/{module} imported by main.js: {(int)response.StatusCode}");
        }
        using var css = await http.GetAsync("/css/viewer.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unchanged_file_is_not_sent_again()
    {
        using var http = Client();
        using var first = await http.GetAsync("/js/main.js");
        Assert.NotNull(first.Headers.ETag);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/js/main.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task The_health_endpoints_still_answer_beside_the_page()
    {
        using var http = Client();
        using var alive = await http.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task A_missing_file_and_anything_outside_wwwroot_are_refused()
    {
        using var http = Client();
        // 404, or 405 where the gRPC unimplemented route (POST only) matches a two-segment path.
        using var missing = await http.GetAsync("/js/nope.js");
        Assert.Contains(missing.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        using var escape = await http.GetAsync("/..%2F" + typeof(ViewerEndpoints).Assembly.GetName().Name + ".dll");
        Assert.Equal(HttpStatusCode.NotFound, escape.StatusCode);
        using var settings = await http.GetAsync("/appsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, settings.StatusCode);
    }

    private HttpClient Client() => new() { BaseAddress = new Uri(_transport!.BaseUrl) };

    public async Task DisposeAsync()
    {
        if (_transport is not null) await _transport.DisposeAsync();
    }
}
