using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Platform.TestSupport;

namespace Platform.AppHost.Tests;

/// <summary>The AppHost's nats resource on its own (the services taken out of the model), run by DCP.</summary>
public sealed class NatsServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"apphost-state-{Guid.NewGuid():N}");
    private DistributedApplication _app = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([$"--{NatsServerBuilderExtensions.StateDirectoryKey}={_state}"]);
        foreach (var resource in builder.Resources.Where(r => r is ProjectResource).ToList()) builder.Resources.Remove(resource);
        _app = await builder.BuildAsync();
        await _app.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("nats", cts.Token);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }

    private int Pid(string resource)
    {
        Assert.True(_app.ResourceNotifications.TryGetCurrentState(resource, out var current), resource);
        return Convert.ToInt32(current.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<JsonElement> MonitorAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = _app.GetEndpoint("nats", "monitor") };
        return JsonSerializer.Deserialize<JsonElement>(await http.GetStringAsync(path));
    }

    [Fact]
    public async Task Runs_on_loopback_with_jetstream_in_the_state_folder_and_gives_its_connection_string()
    {
        var connectionString = await _app.GetConnectionStringAsync("nats");
        var tcp = _app.GetEndpoint("nats", "tcp");
        Assert.Equal($"nats://127.0.0.1:{tcp.Port}", connectionString);

        var varz = await MonitorAsync("/varz");
        Assert.Equal("127.0.0.1", varz.GetProperty("host").GetString());
        Assert.Equal(tcp.Port, varz.GetProperty("port").GetInt32());
        var jsz = await MonitorAsync("/jsz");
        Assert.Equal(Path.Combine(_state, "nats", "jetstream"), jsz.GetProperty("config").GetProperty("store_dir").GetString());
    }

    [Fact]
    public async Task Killed_server_is_restarted_by_the_apphost_and_healthy_again()
    {
        var first = Pid("nats");

        Assert.True(PosixSignals.Send(first, PosixSignals.SIGKILL));

        using var cts = new CancellationTokenSource(Deadline);
        await _app.ResourceNotifications.WaitForResourceAsync("nats", e =>
            e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
            && e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && !Equals(p.Value, first)), cts.Token);
        Assert.NotEqual(first, Pid("nats"));
        Assert.True((await MonitorAsync("/healthz")).GetProperty("status").GetString() == "ok");
    }
}
