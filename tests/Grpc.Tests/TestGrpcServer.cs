using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.TestSupport;

namespace Platform.Grpc.Tests;

/// <summary>
/// A real Kestrel server on a free loopback port speaking h2c, with the platform's gRPC server defaults
/// (AddGrpcServerDefaults: health bound to the app's health checks, reflection) and the test service mapped.
/// </summary>
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
    public TesterProbe Probe => _app.Services.GetRequiredService<TesterProbe>();

    public static async Task<TestGrpcServer> StartAsync(
        Action<IServiceCollection>? configureServices = null, Action<IEndpointRouteBuilder>? configureEndpoints = null)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton<TesterProbe>();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy());
        builder.AddGrpcServerDefaults();
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGrpcService<TesterService>();
        app.MapGrpcDefaultEndpoints();
        configureEndpoints?.Invoke(app);
        await app.StartAsync();
        return new TestGrpcServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await _app.StopAsync(soon.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
