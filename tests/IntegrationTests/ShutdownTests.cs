using Aspire.Hosting.Orchestration;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.IntegrationTests;

public sealed class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DisposingTheAppLeavesNoChildProcess()
    {
        var (app, _) = await Platform.StartHealthyAsync();
        var pids = app.ResourceNotifications.Current.Select(s => s.Pid!.Value).ToList();
        Assert.Equal(7, pids.Count);
        Assert.All(pids, pid => Assert.True(ProcessState.IsAlive(pid)));

        await app.DisposeAsync();

        Assert.All(pids, pid => Assert.False(ProcessState.IsAlive(pid), $"pid {pid} outlived the app"));
    }

    [Fact]
    public async Task AppHostRunFromTheCommandLineIsHealthyThenStopsEveryChildOnSigint()
    {
        await using var appHost = CommandLineAppHost.Start();
        var pids = await appHost.WaitForAllHealthyAsync();
        output.WriteLine($"AppHost process: all seven healthy {appHost.Elapsed.TotalSeconds:0.0} s after start");
        Assert.All(pids, pid => Assert.True(ProcessState.IsAlive(pid)));

        // Ctrl+C is SIGINT. When this test itself runs as a shell background job, SIGINT is ignored by inheritance all the
        // way down (as for any background job), so the AppHost is stopped the way a supervisor stops it, by SIGTERM.
        var signal = ProcessState.IgnoresSignal(appHost.Pid, PosixSignals.SIGINT) ? PosixSignals.SIGTERM : PosixSignals.SIGINT;
        output.WriteLine($"stopping the AppHost with signal {signal}");
        Assert.True(PosixSignals.Send(appHost.Pid, signal));

        // Graceful stop goes in waves (dependents first, NATS last), each allowed the 10 s shutdown timeout before a kill.
        Assert.Equal(0, await appHost.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        Assert.All(pids, pid => Assert.False(ProcessState.IsAlive(pid), $"pid {pid} outlived the AppHost"));
        output.WriteLine(appHost.Log);
    }
}
