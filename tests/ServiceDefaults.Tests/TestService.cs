using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>A real ASP.NET Core app on ServiceDefaults, listening on a free loopback port.</summary>
internal sealed class TestService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestService(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<TestService> StartAsync(IDictionary<string, string?> settings, Action<WebApplication>? map = null, Action<WebApplicationBuilder>? configure = null)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "test-service", EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{port}";
        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        map?.Invoke(app);
        await app.StartAsync();
        return new TestService(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
