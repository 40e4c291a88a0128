using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.TestSupport;

namespace Platform.Grpc.Tests;

/// <summary>A real Kestrel server on a free loopback port speaking h2c, with the test service and health mapped.</summary>
public sealed class TestGrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGrpcServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public string Address => $"http://127.0.0.1:{Port}";
    public IServiceProvider Services => _app.Services;
    public TesterProbe Probe => _app.Services.GetRequiredService<TesterProbe>();

    public static async Task<TestGrpcServer> StartAsync(
        Action<IServiceCollection>? configureServices = null, Action<IEndpointRouteBuilder>? configureEndpoints = null, int? port = null)
    {
        var listenPort = port ?? FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(listenPort, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton<TesterProbe>();
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks(o => o.WatchInterval = TimeSpan.FromMilliseconds(50));
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGrpcService<TesterService>();
        app.MapGrpcHealthChecksService();
        configureEndpoints?.Invoke(app);
        await app.StartAsync();
        return new TestGrpcServer(app, listenPort);
    }

    /// <summary>Stops at once, aborting the calls in flight (as a crash would look to clients).</summary>
    public async Task KillAsync()
    {
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        try { await _app.StopAsync(now.Token); } catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await _app.StopAsync(soon.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
