using Microsoft.AspNetCore.Hosting;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>A bare OTLP/HTTP receiver: records the raw protobuf bodies posted to /v1/traces, /v1/metrics and /v1/logs.</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }
    public ConcurrentQueue<(string Path, string ContentType, byte[] Body)> Posts { get; } = new();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var port = FreePort.Next();
        // Empty: not the recorder's appsettings.json, which the reference copies here with its fixed Kestrel ports.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, $"http://127.0.0.1:{port}");
        app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver.Posts.Enqueue(($"/v1/{signal}", context.Request.ContentType ?? "", body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return receiver;
    }

    public bool Received(string path, string text) =>
        Posts.Any(p => p.Path == path && p.Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
