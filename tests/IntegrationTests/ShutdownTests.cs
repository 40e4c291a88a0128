using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.IntegrationTests;

public sealed class ShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Disposing_the_app_leaves_no_process_behind()
    {
        var platform = await Platform.StartHealthyAsync();
        var pids = Platform.Resources.SelectMany(r => new[] { platform.ResourcePid(r), platform.ServicePid(r) }).Distinct().ToList();
        Assert.All(pids, pid => Assert.True(ProcessState.IsAlive(pid)));

        await platform.DisposeAsync();

        await Eventually.WaitAsync(() => pids.All(pid => !ProcessState.IsAlive(pid)), "every resource's process to end", ExitDeadline);
    }

    [Theory]
    [InlineData(PosixSignals.SIGINT)]
    [InlineData(PosixSignals.SIGTERM)]
    public async Task AppHost_run_from_the_command_line_stops_every_process_on_Ctrl_C_or_SIGTERM(int signal)
    {
        await using var appHost = CommandLineAppHost.Start();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await appHost.WaitForAllServicesReportingAsync(Platform.HealthyDeadline);
        output.WriteLine($"dotnet run --project AppHost: all six services reporting to the dashboard {clock.Elapsed.TotalSeconds:0.0} s after start");
        var processes = appHost.Processes();
        Assert.Contains(processes, pid => File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("nats-server", StringComparison.Ordinal));
        Assert.True(processes.Count > 10, $"only {processes.Count} processes found");

        // Ctrl+C in a terminal is SIGINT to the foreground process group; a supervisor sends SIGTERM to the process.
        Assert.True(signal == PosixSignals.SIGINT ? PosixSignals.Send(-appHost.Pid, signal) : PosixSignals.Send(ProcessState.Innermost(appHost.Pid), signal));

        await appHost.WaitForExitAsync(ExitDeadline);
        await Eventually.WaitAsync(() => processes.All(pid => !ProcessState.IsAlive(pid)), "every process of the run to end", ExitDeadline);
        output.WriteLine(appHost.Log);
    }
}
