using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.TelemetryTailer.Tailing;
using Platform.TestSupport;

namespace Platform.TelemetryTailer.Tests;

/// <summary>The tailer service as Program.cs builds it, started in-process on a free loopback port over a test folder.</summary>
public sealed class TailerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TailerServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public string WebSocketUrl => $"ws://127.0.0.1:{Port}/ws/telemetry";
    public IServiceProvider Services => _app.Services;
    public TelemetryHub Hub => _app.Services.GetRequiredService<TelemetryHub>();

    public static Task<TailerServer> StartAsync(string folder, Action<TelemetryTailerOptions>? configure = null, params ITelemetrySink[] sinks)
        => StartAsync(folder, natsUrl: null, configure, sinks);

    /// <summary>With <paramref name="natsUrl"/>, the service gets ConnectionStrings:nats as the AppHost would give it.</summary>
    public static async Task<TailerServer> StartAsync(string folder, string? natsUrl, Action<TelemetryTailerOptions>? configure = null, params ITelemetrySink[] sinks)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear(); // not the service's appsettings.json (its fixed Kestrel ports and NATS URL)
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        if (natsUrl is not null) builder.Configuration["ConnectionStrings:nats"] = natsUrl;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddTelemetryTailer();
        builder.Services.PostConfigure<TelemetryTailerOptions>(o =>
        {
            o.Directory = folder;
            o.ScanInterval = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
        foreach (var sink in sinks) builder.Services.AddSingleton(sink);
        var app = builder.Build();
        app.MapTelemetryTailer();
        await app.StartAsync();
        await app.Services.GetRequiredService<DirectoryTailer>().Started.WaitAsync(TimeSpan.FromSeconds(10));
        return new TailerServer(app, port);
    }

    public SessionInfo? Session(string sessionId) => Hub.Sessions().FirstOrDefault(s => s.SessionId == sessionId);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
