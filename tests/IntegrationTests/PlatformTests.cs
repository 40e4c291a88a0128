using System.Net;
using Aspire.Hosting.Testing;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.IntegrationTests;

public sealed class PlatformFixture : IAsyncLifetime
{
    public Platform Platform { get; private set; } = null!;

    public async Task InitializeAsync() => Platform = await Platform.StartHealthyAsync();

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}

/// <summary>One running platform shared by the whole-app test classes (starting it costs tens of seconds).</summary>
[CollectionDefinition(Name)]
public sealed class SharedPlatform : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}

/// <summary>The whole platform through Aspire.Hosting.Testing, against a real nats-server.</summary>
[Collection(SharedPlatform.Name)]
public sealed class PlatformTests(PlatformFixture fixture, ITestOutputHelper output)
{
    private Platform Platform => fixture.Platform;

    [Fact]
    public void All_seven_resources_run_as_their_own_processes()
    {
        output.WriteLine($"testing builder: all seven healthy {Platform.StartUp.TotalSeconds:0.0} s after CreateAsync");
        var pids = Platform.Resources.Select(Platform.ResourcePid).ToList();
        Assert.Equal(pids.Count, pids.Distinct().Count());
        Assert.All(pids, pid => Assert.True(ProcessState.IsAlive(pid)));
    }

    [Fact]
    public async Task Each_service_answers_health_and_alive()
    {
        foreach (var service in Platform.Services)
        {
            using var http = Platform.App.CreateHttpClient(service, "http");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
        }
        Assert.StartsWith("nats://127.0.0.1:", await Platform.App.GetConnectionStringAsync("nats"));
    }

    [Fact]
    public async Task A_killed_service_is_restarted_by_the_apphost_and_the_others_keep_running()
    {
        var before = Platform.ResourcePid("recorder");
        var others = Platform.Resources.Where(r => r != "recorder").ToDictionary(r => r, Platform.ResourcePid);

        Assert.True(PosixSignals.Send(Platform.ServicePid("recorder"), PosixSignals.SIGKILL));

        await Platform.WaitForRestartAsync("recorder", before, Platform.HealthyDeadline);
        Assert.Equal(others, Platform.Resources.Where(r => r != "recorder").ToDictionary(r => r, Platform.ResourcePid));
    }
}
