using Aspire.Hosting;
using Aspire.Hosting.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Platform.TestSupport;

namespace Platform.AppHost.Tests;

public sealed class OrchestratorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ServiceThatExitsAtOnceIsShownCrashLoopingWithItsLastLinesWhileOthersKeepRunning()
    {
        var builder = TestApps.CreateBuilder();
        // Like a project, the crasher has a health probe, so it is never healthy and what waits for it never starts.
        var crasher = builder.AddExecutable("crasher", "/bin/sh", ".", "-c", "echo starting; echo 'fatal: no config at /etc/crasher' >&2; exit 3")
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health");
        builder.AddExecutable("steady", "/bin/sh", ".", TestApps.Steady("steady up"));
        builder.AddExecutable("dependent", "/bin/sh", ".", TestApps.Steady("dependent up")).WaitFor(crasher);
        await using var app = builder.Build();
        await app.StartAsync();
        var notifications = app.ResourceNotifications;
        using var cts = new CancellationTokenSource(Deadline);

        await notifications.WaitForResourceHealthyAsync("steady", cts.Token);
        var steadyPid = notifications.Current.Single(s => s.Name == "steady").Pid;
        var crashing = (await notifications.WaitForResourceAsync("crasher", s => s[0].State == KnownResourceStates.CrashLoopBackOff, cts.Token))[0];

        Assert.Contains("crash loop", crashing.Message);
        Assert.Contains("fatal: no config at /etc/crasher", crashing.Message);
        Assert.Equal(3, crashing.ExitCode);
        Assert.True(crashing.RestartCount >= 2, $"restarts: {crashing.RestartCount}");
        var now = notifications.Current;
        var steady = now.Single(s => s.Name == "steady");
        Assert.True(steady.IsHealthy);
        Assert.Equal(steadyPid, steady.Pid);
        Assert.Equal(0, steady.RestartCount);
        Assert.Equal(KnownResourceStates.Waiting, now.Single(s => s.Name == "dependent").State);
        Assert.Null(now.Single(s => s.Name == "dependent").Pid);
    }

    [Fact]
    public async Task StopEndsEveryChildGracefullyOrKilledAfterTheTimeout()
    {
        var builder = TestApps.CreateBuilder(args: "--AppHost:ShutdownTimeout=00:00:01");
        builder.AddExecutable("polite", "/bin/sh", ".", TestApps.Steady("polite up"));
        builder.AddExecutable("stubborn", "/bin/sh", ".", "-c", "trap '' TERM INT; echo stubborn up; while :; do sleep 0.05; done");
        var app = builder.Build();
        await app.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("polite", cts.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("stubborn", cts.Token);
        var pids = app.ResourceNotifications.Current.Select(s => s.Pid!.Value).ToList();
        Assert.All(pids, pid => Assert.True(ProcessState.IsAlive(pid)));
        var orchestrator = app.Services.GetRequiredService<Orchestrator>();
        var polite = orchestrator.Instances.Single(i => i.Name == "polite");
        var notifications = app.ResourceNotifications;

        await app.DisposeAsync();

        Assert.All(pids, pid => Assert.False(ProcessState.IsAlive(pid), $"pid {pid} is still running"));
        Assert.Contains(polite.Logs.Snapshot(), l => l.Text == "stopping"); // polite got SIGTERM and ended itself
        Assert.All(notifications.Current, s => Assert.Equal(KnownResourceStates.Finished, s.State));
    }

    [Fact]
    public async Task KilledProcessIsRestartedWithANewPid()
    {
        var builder = TestApps.CreateBuilder();
        builder.AddExecutable("victim", "/bin/sh", ".", TestApps.Steady("victim up"));
        await using var app = builder.Build();
        await app.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("victim", cts.Token);
        var first = app.ResourceNotifications.Current.Single().Pid!.Value;

        System.Diagnostics.Process.GetProcessById(first).Kill();

        var restarted = (await app.ResourceNotifications.WaitForResourceAsync("victim", s => s[0].IsHealthy && s[0].Pid != first, cts.Token))[0];
        Assert.Equal(1, restarted.RestartCount);
        Assert.Equal(KnownResourceStates.Running, restarted.State);
    }

    [Fact]
    public async Task MissingNatsServerFailsTheStartWithHowToInstallIt()
    {
        var empty = Directory.CreateTempSubdirectory("no-nats-").FullName;
        try
        {
            var builder = TestApps.CreateBuilder(args: $"--AppHost:ExecutableSearchPath={empty}");
            builder.AddNats("nats");
            await using var app = builder.Build();

            var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync());

            Assert.Contains("nats-server is not installed", error.Message);
            Assert.Contains("sudo apt-get install nats-server", error.Message);
            Assert.Contains("bash eng/install-deps.sh", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task MissingNatsServerEndsTheAppHostWithOneLine()
    {
        var empty = Directory.CreateTempSubdirectory("no-nats-").FullName;
        try
        {
            var (exitCode, _, stderr) = await ManifestTests.RunAppHostAsync(new Dictionary<string, string>
            {
                ["AppHost__ExecutableSearchPath"] = empty,
                ["DcpPublisher__RandomizePorts"] = "true",
            });

            Assert.Equal(1, exitCode);
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, stderr);
            Assert.Contains("sudo apt-get install nats-server", lines[0]);
            Assert.DoesNotContain("Exception", stderr);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task NatsServerRunsWithJetStreamAndReportsHealthy()
    {
        var builder = TestApps.CreateBuilder();
        var nats = builder.AddNats("nats");
        await using var app = builder.Build();
        await app.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);

        await app.ResourceNotifications.WaitForResourceHealthyAsync("nats", cts.Token);

        var monitor = nats.Resource.Annotations.OfType<Aspire.Hosting.ApplicationModel.EndpointAnnotation>().Single(e => e.Name == "monitor");
        using var http = new HttpClient();
        var jsz = await http.GetStringAsync($"{monitor.GetUrl()}/jsz", cts.Token);
        Assert.Contains("\"config\"", jsz); // JetStream is on: /jsz reports its configuration
        Assert.StartsWith("nats://127.0.0.1:", Aspire.Hosting.Testing.DistributedApplicationTestingExtensions.GetConnectionString(app, "nats"));
    }

    [Fact]
    public async Task WatchdogEndsTheChildrenOfAnAppHostThatWasKilled()
    {
        using var owner = System.Diagnostics.Process.Start("/bin/sleep", "600");
        using var child = System.Diagnostics.Process.Start("/bin/sleep", "600");
        var state = Directory.CreateTempSubdirectory("watchdog-").FullName;
        try
        {
            using var watchdog = new ChildWatchdog(state, owner.Id);
            watchdog.Update([child.Id]);
            Assert.True(ProcessState.IsAlive(child.Id));

            owner.Kill();

            await Eventually.WaitAsync(() => child.HasExited, "the watchdog to end the orphaned child", TimeSpan.FromSeconds(10));
        }
        finally
        {
            if (!child.HasExited) child.Kill();
            Directory.Delete(state, recursive: true);
        }
    }
}
