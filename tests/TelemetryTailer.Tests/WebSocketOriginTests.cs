using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.TestSupport;

namespace Platform.TelemetryTailer.Tests;

/// <summary>
/// The origin policy on /ws/telemetry (the same BrowserEdge code as the transport's): a browser page of another
/// origin is refused with 403 and logged; the page's own origin and tools that send no Origin are accepted.
/// </summary>
public sealed class WebSocketOriginTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_cross_origin_upgrade_is_refused_with_403_and_logged()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path);
        using var logs = new CollectingLoggerProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketUpgrade.StatusAsync(new Uri(server.WebSocketUrl), "http://evil.example"));
        Assert.Contains(logs.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("/ws/telemetry refused: origin http://evil.example is not allowed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Same_origin_and_tool_clients_are_accepted()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path);
        var url = new Uri(server.WebSocketUrl);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(url, $"http://{url.Authority}"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(url, origin: null));
        // The npm ws client sends no Origin either.
        await using var peer = await WsPeer.ConnectAsync(server.WebSocketUrl);
    }

    [Fact]
    public async Task The_tailer_reads_its_allow_list_from_the_same_key()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path, new Dictionary<string, string?> { ["BrowserEdge:AllowedOrigins:0"] = "https://ops.example.com" });
        var url = new Uri(server.WebSocketUrl);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgrade.StatusAsync(url, "https://ops.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketUpgrade.StatusAsync(url, "http://localhost:5173"));
    }

    public void Dispose() => _folder.Dispose();
}
