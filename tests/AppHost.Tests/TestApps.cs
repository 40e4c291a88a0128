using Aspire.Hosting;

namespace Platform.AppHost.Tests;

/// <summary>Small apps for orchestrator tests: free ports, a state folder of their own, quick restarts.</summary>
internal static class TestApps
{
    public static IDistributedApplicationBuilder CreateBuilder(bool dashboard = false, params string[] args) => DistributedApplication.CreateBuilder(new DistributedApplicationOptions
    {
        Args =
        [
            "--DcpPublisher:RandomizePorts=true",
            "--AppHost:RestartDelay=00:00:00.050",
            "--AppHost:MaxRestartDelay=00:00:00.500",
            "--AppHost:ShutdownTimeout=00:00:02",
            .. args,
        ],
        DisableDashboard = !dashboard,
    });

    /// <summary>A shell loop that ends on SIGTERM (a well-behaved service).</summary>
    public static string[] Steady(string greeting) => ["-c", $"echo {greeting}; trap 'echo stopping; exit 0' TERM; while :; do sleep 0.05; done"];
}
