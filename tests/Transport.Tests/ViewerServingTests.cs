using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Platform.TestSupport;
using Platform.Transport.Viewer;

namespace Platform.Transport.Tests;

/// <summary>The viewer page is served by the transport from the wwwroot copied next to its assembly.</summary>
public sealed class ViewerServingTests : IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        using var http = Client();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear(); // not the transport's appsettings.json (its fixed Kestrel ports)
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapViewer();
        await _app.StartAsync();
    }

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
    public async Task A_missing_file_is_404_and_nothing_outside_wwwroot_is_served()
    {
        using var http = Client();
        using var missing = await http.GetAsync("/js/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var escape = await http.GetAsync("/..%2F" + typeof(ViewerEndpoints).Assembly.GetName().Name + ".dll");
        Assert.Equal(HttpStatusCode.NotFound, escape.StatusCode);
    }

    private HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };

    public async Task DisposeAsync()
    {
        using var http = Client();
        if (_app is not null) await _app.DisposeAsync();
    }
}
