using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Orchestration;

/// <summary>How the orchestrator runs resources; bound from <c>AppHost:*</c> (and Aspire's <c>DcpPublisher:RandomizePorts</c>).</summary>
public sealed class OrchestratorOptions
{
    /// <summary>Take free ports even for endpoints with a fixed port, and a state folder of this run only (tests run side by side).</summary>
    public bool RandomizePorts { get; set; }

    /// <summary>Where resources keep state (the NATS JetStream store); default: the AppHost folder's <c>.state</c>.</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>Folders searched for executables such as nats-server; default: PATH, then /usr/sbin and /usr/bin.</summary>
    public string ExecutableSearchPath { get; set; } = "";

    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>This many exits in a row, each sooner than <see cref="StableRunTime"/> after its start, is a crash loop.</summary>
    public int CrashLoopThreshold { get; set; } = 3;

    public TimeSpan StableRunTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Health probe period once healthy; until then probes run every <see cref="StartupProbeInterval"/>.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan StartupProbeInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Console lines kept per resource instance.</summary>
    public int LogLines { get; set; } = 2000;

    public static OrchestratorOptions From(IConfiguration configuration, string appHostDirectory)
    {
        var options = new OrchestratorOptions();
        configuration.GetSection("AppHost").Bind(options);
        options.RandomizePorts |= configuration.GetValue<bool>("DcpPublisher:RandomizePorts");
        if (string.IsNullOrEmpty(options.StateDirectory))
            options.StateDirectory = Path.Combine(appHostDirectory, ".state");
        if (string.IsNullOrEmpty(options.ExecutableSearchPath))
            options.ExecutableSearchPath = $"{Environment.GetEnvironmentVariable("PATH")}:/usr/sbin:/usr/bin";
        return options;
    }
}
