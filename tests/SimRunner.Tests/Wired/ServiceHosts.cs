using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using Platform.Nats;
using Platform.SafetyAuthority.Hosting;
using Platform.SimRunner.Hosting;
using Platform.TestSupport;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>The real services' hosts (NATS client, workers, loop) in-process, against a real nats-server.</summary>
internal static class ServiceHosts
{
    public static Task<IHost> StartSimAsync(string natsUrl, string logDirectory, string session = "test")
        => StartAsync(natsUrl, new()
        {
            ["SimRunner:TelemetryLog:Directory"] = logDirectory,
            ["SimRunner:TelemetryLog:SessionId"] = session,
        }, b => b.AddSimRunner());

    public static Task<IHost> StartAuthorityAsync(string natsUrl, string bucket)
        => StartAsync(natsUrl, new() { ["SafetyAuthority:KvBucket"] = bucket }, b => b.AddSafetyAuthority());

    private static async Task<IHost> StartAsync(string natsUrl, Dictionary<string, string?> settings, Action<IHostApplicationBuilder> add)
    {
        var builder = Host.CreateApplicationBuilder();
        settings["ConnectionStrings:nats"] = natsUrl;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddNatsClient("nats");
        add(builder);
        var host = builder.Build();
        await host.StartAsync();
        return host;
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

    public static async Task ShutdownAsync(this IHost host)
    {
        await host.StopAsync(TimeSpan.FromSeconds(5));
        host.Dispose();
    }

    public static T Get<T>(this IHost host) where T : notnull => host.Services.GetRequiredService<T>();
}
