using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Testing;
using Xunit.Abstractions;

namespace Platform.IntegrationTests;

public sealed class PlatformFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public TimeSpan StartUp { get; private set; }

    public async Task InitializeAsync() => (App, StartUp) = await Platform.StartHealthyAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>One running platform shared by the whole-app test classes (starting it costs tens of seconds).</summary>
[CollectionDefinition(Name)]
public sealed class SharedPlatform : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}

/// <summary>The whole platform through the testing builder (Aspire.Hosting.Testing's shape), against a real nats-server.</summary>
[Collection(SharedPlatform.Name)]
public sealed class PlatformTests(PlatformFixture fixture, ITestOutputHelper output)
{
    private DistributedApplication App => fixture.App;

    [Fact]
    public void AllSevenResourcesAreHealthy()
    {
        output.WriteLine($"testing builder: all seven healthy {fixture.StartUp.TotalSeconds:0.0} s after CreateAsync");
        var snapshots = App.ResourceNotifications.Current;
        Assert.Equal(Platform.Resources.Order(), snapshots.Select(s => s.Name).Order());
        Assert.All(snapshots, s => Assert.True(s.IsHealthy, $"{s.Name}: {s.State}/{s.HealthStatus} {s.Message}"));
        Assert.Equal(snapshots.Count, snapshots.Select(s => s.Pid).Distinct().Count());
    }

    [Fact]
    public async Task EachServiceAnswersHealthAndAlive()
    {
        foreach (var service in Platform.Services)
        {
            using var http = App.CreateHttpClient(service);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
        }
        Assert.StartsWith("nats://127.0.0.1:", App.GetConnectionString("nats"));
    }

    [Fact]
    public async Task KilledServiceIsRestartedAndHealthyAgain()
    {
        var before = App.ResourceNotifications.Current.Single(s => s.Name == "encoder");
        var others = App.ResourceNotifications.Current.Where(s => s.Name != "encoder").ToDictionary(s => s.Name, s => s.Pid);

        System.Diagnostics.Process.GetProcessById(before.Pid!.Value).Kill();

        using var cts = new CancellationTokenSource(Platform.HealthyDeadline);
        var after = (await App.ResourceNotifications.WaitForResourceAsync("encoder", s => s[0].IsHealthy && s[0].Pid != before.Pid, cts.Token))[0];
        Assert.Equal(before.RestartCount + 1, after.RestartCount);
        using var http = App.CreateHttpClient("encoder");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", cts.Token)).StatusCode);
        Assert.Equal(others, App.ResourceNotifications.Current.Where(s => s.Name != "encoder").ToDictionary(s => s.Name, s => s.Pid));
        Assert.All(App.ResourceNotifications.Current, s => Assert.Equal(KnownResourceStates.Running, s.State));
    }
}
