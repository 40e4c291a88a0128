using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.SafetyAuthority.Hosting;
using Platform.SimRunner.Hosting;
using Platform.TestSupport;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>A real service host in-process: its NATS client, workers and loop, and its gRPC service on Kestrel (h2c, free port).</summary>
internal sealed class RunningService(WebApplication app, int port)
{
    public string GrpcAddress => $"http://127.0.0.1:{port}";

    public T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public async Task ShutdownAsync()
    {
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await app.StopAsync(soon.Token); } catch (OperationCanceledException) { }
        await app.DisposeAsync();
    }
}

/// <summary>Starts the real sim-runner and safety-authority against a real nats-server, wired as their Program.cs does.</summary>
internal static class ServiceHosts
{
    /// <summary>The sim without video unless <paramref name="settings"/> turn it on (SimRunner:Video:Enabled and its encoder).</summary>
    public static Task<RunningService> StartSimAsync(string natsUrl, string logDirectory, string session = "test", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["SimRunner:TelemetryLog:Directory"] = logDirectory,
            ["SimRunner:TelemetryLog:SessionId"] = session,
            ["SimRunner:Video:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return StartAsync(natsUrl, all, b => b.AddSimRunner(), app => app.MapGrpcService<SimControlGrpcService>());
    }

    public static Task<RunningService> StartAuthorityAsync(string natsUrl, string bucket)
        => StartAsync(natsUrl, new() { ["SafetyAuthority:KvBucket"] = bucket }, b => b.AddSafetyAuthority(), app => app.MapGrpcService<SafetyAuthorityGrpcService>());

    private static async Task<RunningService> StartAsync(string natsUrl, Dictionary<string, string?> settings, Action<WebApplicationBuilder> add, Action<WebApplication> map)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        settings["ConnectionStrings:nats"] = natsUrl;
        // Only the test's settings: the services' appsettings.json (copied here) pins Kestrel ports for local runs.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.AddNatsClient("nats");
        builder.AddDefaultHealthChecks();
        builder.AddGrpcServerDefaults();
        add(builder);
        var app = builder.Build();
        app.MapGrpcDefaultEndpoints();
        map(app);
        await app.StartAsync();
        return new RunningService(app, port);
    }

    /// <summary>Waits until the sim answers a schema request: its NATS connection and subscriptions are then up.</summary>
    public static Task WaitForSimAsync(INatsConnection client) => Eventually.WaitAsync(async () =>
    {
        try
        {
            var reply = await client.RequestAsync<byte[], byte[]>(SubjectNames.SimSchema, [], replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromMilliseconds(500) });
            return reply.Data is { Length: > 0 };
        }
        catch (NatsException)
        {
            return false;
        }
    }, "sim-runner answering telemetry.sim.schema", TimeSpan.FromSeconds(30));
}
