using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using System.Collections.Concurrent;
using System.Diagnostics;
using NATS.Client.Core;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Platform.TestSupport;

namespace Platform.Nats.Tests;

/// <summary>ServiceDefaults' <c>AddNatsClient</c>: NATS.Net registered from the connection string, named, connected and health-checked.</summary>
[Collection(ProcessWideTracing.Name)]
public sealed class HostingTests
{
    private static HostApplicationBuilder Builder(string? connectionString, string serviceName = "hosting-test")
    {
        var builder = Host.CreateApplicationBuilder();
        var settings = new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = serviceName };
        if (connectionString is not null) settings["ConnectionStrings:nats"] = connectionString;
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    [Fact]
    public async Task Host_starts_without_nats_and_health_follows_the_connection()
    {
        var port = FreePort.Next();
        var builder = Builder($"nats://127.0.0.1:{port}");
        builder.AddNatsClient("nats", configureOptions: o => o with { ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200) });
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(5)); // must not wait for NATS

        var health = host.Services.GetRequiredService<HealthCheckService>();
        async Task<HealthStatus> NatsHealth() => (await health.CheckHealthAsync(r => r.Name == "nats")).Status;
        Assert.NotEqual(HealthStatus.Healthy, await NatsHealth());

        await using (var server = await NatsServer.StartOnPortAsync(port))
        {
            await Eventually.WaitAsync(async () => await NatsHealth() == HealthStatus.Healthy, "health turns healthy once NATS is up", TimeSpan.FromSeconds(15));
            var nats = host.Services.GetRequiredService<INatsConnection>();
            Assert.Same(nats, host.Services.GetRequiredService<INatsConnection>());
            Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
            Assert.Equal(TimeSpan.FromMilliseconds(200), nats.Opts.ReconnectWaitMax);

            // The connection is named after the service (what the server's /connz shows; NATS.Net's pool adds "#index").
            using var http = new HttpClient();
            var connz = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{server.MonitorPort}/connz");
            var names = connz.GetProperty("connections").EnumerateArray().Select(c => c.TryGetProperty("name", out var n) ? n.GetString() : null);
            Assert.Equal("hosting-test#0", Assert.Single(names));
        }
        // Reconnecting is degraded, not unhealthy: the client is still trying.
        await Eventually.WaitAsync(async () => await NatsHealth() == HealthStatus.Degraded, "health turns degraded when NATS dies");
        await host.StopAsync();
    }

    [Fact]
    public void Missing_connection_string_fails_with_what_to_set()
    {
        var builder = Builder(null);
        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddNatsClient("nats"));
        Assert.Contains("ConnectionStrings:nats", ex.Message);
    }

    [Fact]
    public async Task The_platforms_high_rate_data_subjects_get_no_spans_and_commands_do()
    {
        await using var server = await NatsServer.StartAsync();
        var builder = Builder(server.Url);
        builder.AddNatsClient("nats", settings => settings.UntracedSubjects = [.. Extensions.UntracedNatsSubjects]);
        var spans = new ConcurrentQueue<string>();
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(Source.Name).AddProcessor(new CollectingProcessor(spans)));
        using var host = builder.Build();
        await host.StartAsync();
        var nats = host.Services.GetRequiredService<INatsConnection>();
        await nats.ConnectAsync();

        // As the services publish: under an activity of their own (a frame, a command), whose trace the publish joins.
        foreach (var subject in new[] { "video.main.live", "video.main.record", "telemetry.sim.state", "telemetry.tail.s1", "command.sim.pause", "telemetry.tail.s1.emergency" })
        {
            using var parent = Source.StartActivity("work");
            await nats.PublishAsync(subject, "{}");
        }

        await Eventually.WaitAsync(() => spans.Contains("telemetry.tail.s1.emergency"), $"the last publish's span (subjects: {string.Join(", ", spans)})");
        Assert.Equal(["command.sim.pause", "telemetry.tail.s1.emergency"], spans);
        await host.StopAsync();
    }

    private static readonly ActivitySource Source = new("Platform.Nats.Tests");

    private sealed class CollectingProcessor(ConcurrentQueue<string> names) : BaseProcessor<Activity>
    {
        /// <summary>Each NATS span's subject (NATS.Net names spans after the subject's first tokens only).</summary>
        public override void OnEnd(Activity data)
        {
            if (data.GetTagItem("messaging.destination.name") is string subject) names.Enqueue(subject);
        }
    }
}

/// <summary>
/// A host's TracerProvider listens to NATS.Net's ActivitySource process-wide: while one runs, every publish in this test
/// process gets a traceparent header. These tests run alone, so the interop tests see the headers they send, no more.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTracing
{
    public const string Name = "hosting (process-wide tracing)";
}
