using System.ComponentModel;
using System.Runtime.InteropServices;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Dashboard;
using Polly;
using Polly.Retry;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// Runs the app model locally: every resource instance as a child process with Aspire's environment, started once what
/// it waits for is healthy, probed for health, restarted with backoff when it dies (a crash loop is marked), and stopped
/// (SIGTERM, then SIGKILL after <see cref="OrchestratorOptions.ShutdownTimeout"/>) when the AppHost stops.
/// </summary>
internal sealed partial class Orchestrator(
    DistributedApplicationModel model,
    OrchestratorOptions options,
    DashboardOptions dashboard,
    ResourceNotificationService notifications,
    ILogger<Orchestrator> logger) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly HealthProber _prober = new(options);
    private readonly Lock _publishGate = new();
    private List<ResourceInstance> _instances = [];
    private Dictionary<IResource, string> _commands = [];
    private Dictionary<ResourceInstance, Task> _supervisors = [];
    private ChildWatchdog? _watchdog;
    private string _stateRoot = "";
    private PosixSignalRegistration[] _signals = [];

    public IReadOnlyList<ResourceInstance> Instances => _instances;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var resource in model.Resources) EnsureNoWaitCycle(resource, []);
        _commands = model.Resources.ToDictionary(r => r, ResolveCommand);
        // Ctrl+C reaches the children too (same process group): from that moment an exit is a stop, never a crash.
        _signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, _ => _stopping.Cancel()))];
        AllocatePorts();
        _stateRoot = options.RandomizePorts
            ? Path.Combine(options.StateDirectory, "runs", $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..24])
            : options.StateDirectory;
        _watchdog = new ChildWatchdog(options.StateDirectory);
        _instances = model.Resources
            .SelectMany(r => Enumerable.Range(0, Replicas(r)).Select(i => new ResourceInstance(r, i, Replicas(r), new LogRing(options.LogLines))))
            .ToList();
        Publish();
        if (dashboard.Enabled) LogDashboard(dashboard.Url);
        _supervisors = _instances.ToDictionary(i => i, i => Task.Run(() => SuperviseAsync(i, _stopping.Token), CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops dependents before what they wait for (transport, then sim-runner, ..., NATS last), so no service spends its
    /// shutdown reconnecting to a NATS server that is already gone; each wave gets the shutdown timeout, then is killed.
    /// This runs in the host's stopping phase, before any hosted service stops: the dashboard's server (stopped first, as
    /// the last one registered) must still answer the children's final OTLP exports, which otherwise wait out the
    /// exporter's 10 s timeout against a listener that no longer accepts.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        foreach (var wave in _supervisors.GroupBy(s => Depth(s.Key.Resource)).OrderByDescending(g => g.Key))
        {
            foreach (var instance in wave.Select(s => s.Key))
            {
                if (instance.Process is not { } process) continue;
                instance.Set(KnownResourceStates.Stopping);
                process.Terminate();
            }
            Publish();
            var exited = Task.WhenAll(wave.Select(s => s.Value));
            try
            {
                await exited.WaitAsync(options.ShutdownTimeout, cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                foreach (var instance in wave.Select(s => s.Key))
                {
                    if (instance.Process is not { } process) continue;
                    LogKilled(instance.Name, process.Pid, options.ShutdownTimeout.TotalSeconds);
                    process.Kill();
                }
                await exited;
            }
        }
        _watchdog?.Dispose();
        _watchdog = null;
        if (options.RandomizePorts) DeleteRunState();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void EnsureNoWaitCycle(IResource resource, List<IResource> path)
    {
        if (path.Contains(resource))
            throw new DistributedApplicationException($"WaitFor cycle: {string.Join(" → ", path.SkipWhile(r => r != resource).Append(resource).Select(r => r.Name))}; nothing in it could ever start.");
        path.Add(resource);
        foreach (var target in resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Target)) EnsureNoWaitCycle(target, path);
        path.RemoveAt(path.Count - 1);
    }

    /// <summary>0 for a resource that waits for nothing, else one more than the deepest resource it waits for.</summary>
    private static int Depth(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => Depth(w.Target) + 1).DefaultIfEmpty(0).Max();

    private async Task SuperviseAsync(ResourceInstance instance, CancellationToken stopping)
    {
        try
        {
            foreach (var dependency in instance.Resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Target))
            {
                instance.Set(KnownResourceStates.Waiting, $"waiting for {dependency.Name} to be healthy");
                Publish();
                await notifications.WaitForResourceHealthyAsync(dependency.Name, stopping);
            }
            var runs = 0;
            await RestartPipeline(instance).ExecuteAsync(async token => await RunOnceAsync(instance, runs++ > 0, token), stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogSupervisorFailed(ex, instance.Name);
            instance.Set(KnownResourceStates.FailedToStart, ex.Message);
        }
        if (stopping.IsCancellationRequested) instance.Set(KnownResourceStates.Finished, "stopped");
        Publish();
    }

    /// <summary>Restarts a resource that died by itself, with exponential backoff that starts over after a stable run.</summary>
    private ResiliencePipeline<bool> RestartPipeline(ResourceInstance instance) => new ResiliencePipelineBuilder<bool>()
        .AddRetry(new RetryStrategyOptions<bool>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result && !_stopping.IsCancellationRequested),
            MaxRetryAttempts = int.MaxValue,
            DelayGenerator = _ =>
            {
                var exponent = Math.Min(instance.QuickExitStreak - 1, 16);
                var delay = Math.Min(options.RestartDelay.TotalMilliseconds * Math.Pow(2, Math.Max(exponent, 0)), options.MaxRestartDelay.TotalMilliseconds);
                return ValueTask.FromResult<TimeSpan?>(TimeSpan.FromMilliseconds(delay * (0.8 + (Random.Shared.NextDouble() * 0.4))));
            },
            OnRetry = args =>
            {
                var crashLoop = instance.QuickExitStreak >= options.CrashLoopThreshold;
                var snapshot = instance.Snapshot();
                var lastLines = string.Join(" | ", instance.Logs.Snapshot().TakeLast(3).Select(l => l.Text));
                var message = crashLoop
                    ? $"crash loop: exited {instance.QuickExitStreak} times in a row within {options.StableRunTime.TotalSeconds:0.#} s of starting (last exit code {snapshot.ExitCode}); retrying in {args.RetryDelay.TotalSeconds:0.#} s. Last output: {lastLines}"
                    : $"exited with code {snapshot.ExitCode}; restarting in {args.RetryDelay.TotalSeconds:0.#} s";
                instance.Set(crashLoop ? KnownResourceStates.CrashLoopBackOff : KnownResourceStates.Restarting, message);
                LogRestarting(instance.Name, message);
                Publish();
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>Runs the instance's process once; true when it died by itself (and should be restarted).</summary>
    private async ValueTask<bool> RunOnceAsync(ResourceInstance instance, bool isRestart, CancellationToken stopping)
    {
        if (stopping.IsCancellationRequested) return false;
        var resource = instance.Resource;
        ChildProcess process;
        try
        {
            var (command, args, workingDirectory) = CommandLine(instance);
            var env = EnvironmentBuilder.ForRun(resource, instance.Replica, instance.InstanceId, dashboard.Enabled ? dashboard.OtlpUrl : null);
            process = ChildProcess.Start(command, args, workingDirectory, env, instance.Logs);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            instance.Logs.Add(isError: true, $"[apphost] could not start {resource.Name}: {ex.Message}");
            instance.FailedToStart(ex.Message);
            Publish();
            return true;
        }
        instance.Started(process, isRestart);
        UpdateWatchdog();
        LogStarted(instance.Name, process.Pid);
        Publish();

        using var probing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var probes = ProbeAsync(instance, probing.Token);
        var exitCode = await process.WaitForExitAsync();
        await probing.CancelAsync();
        await probes;
        instance.Exited(exitCode, options.StableRunTime);
        process.Dispose();
        UpdateWatchdog();
        var died = !stopping.IsCancellationRequested;
        if (died)
        {
            LogExited(instance.Name, exitCode);
            instance.Set(KnownResourceStates.Restarting, $"exited with code {exitCode}");
        }
        Publish();
        return died;
    }

    private async Task ProbeAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        var probes = HealthProber.ProbesOf(instance.Resource, instance.Replica);
        if (probes.Count == 0)
        {
            instance.SetHealth(HealthStatus.Healthy, null);
            Publish();
            return;
        }
        string? reported = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var failure = await _prober.CheckAsync(probes, cancellationToken);
                // Before the first success a failing probe only means "still starting"; after it, "unhealthy".
                var health = failure is null ? HealthStatus.Healthy : reported is null ? null : HealthStatus.Unhealthy;
                if (health is not null && health != reported)
                {
                    reported = health;
                    instance.SetHealth(health, failure);
                    if (failure is null) LogHealthy(instance.Name);
                    else LogUnhealthy(instance.Name, failure);
                    Publish();
                }
                await Task.Delay(reported is null ? options.StartupProbeInterval : options.ProbeInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private (string Command, IReadOnlyList<string> Args, string WorkingDirectory) CommandLine(ResourceInstance instance)
    {
        var resource = instance.Resource;
        var stateDirectory = Path.Combine(_stateRoot, instance.Name);
        var args = resource.Annotations.OfType<CommandLineArgsAnnotation>()
            .SelectMany(a => a.Build(new CommandLineContext(instance.Replica, stateDirectory)))
            .ToList();
        return resource switch
        {
            ProjectResource project => (_commands[resource], [project.Metadata.TargetPath, .. args], Path.GetDirectoryName(project.Metadata.ProjectPath)!),
            ExecutableResource executable => (_commands[resource], args, executable.WorkingDirectory),
            _ => throw new DistributedApplicationException($"Resource '{resource.Name}' ({resource.GetType().Name}) cannot be run locally."),
        };
    }

    /// <summary>Checks up front what each resource needs to start, so a missing program fails the start with one clear message.</summary>
    private string ResolveCommand(IResource resource)
    {
        switch (resource)
        {
            case ProjectResource project:
                if (!File.Exists(project.Metadata.TargetPath))
                    throw new DistributedApplicationException($"{resource.Name} is not built ({project.Metadata.TargetPath} is missing): run `dotnet build AppHost` first.");
                return DotNetHost();
            case ExecutableResource executable:
                return ExecutableLocator.Find(executable.Command, options.ExecutableSearchPath);
            default:
                throw new DistributedApplicationException($"Resource '{resource.Name}' ({resource.GetType().Name}) cannot be run locally.");
        }
    }

    private static string DotNetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private void AllocatePorts()
    {
        // The dashboard's ports are bound by Kestrel before this runs, so port 0 never hands them out again.
        var ports = new PortAllocator();
        foreach (var resource in model.Resources)
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                endpoint.AllocatedPorts = Enumerable.Range(0, Replicas(resource))
                    .Select(_ => endpoint.Port is { } port && !options.RandomizePorts ? ports.Fixed(port, $"{resource.Name} {endpoint.Name}") : ports.Next())
                    .ToList();
            }
        }
    }

    private static int Replicas(IResource resource) => resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;

    private void Publish()
    {
        lock (_publishGate) notifications.Publish(_instances.Select(i => i.Snapshot()).ToList());
    }

    private void UpdateWatchdog() => _watchdog?.Update(_instances.Select(i => i.Process?.Pid).OfType<int>());

    private void DeleteRunState()
    {
        try
        {
            if (Directory.Exists(_stateRoot)) Directory.Delete(_stateRoot, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public void Dispose()
    {
        foreach (var signal in _signals) signal.Dispose();
        _prober.Dispose();
        _stopping.Dispose();
        _watchdog?.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Dashboard: {Url}")]
    private partial void LogDashboard(string url);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Resource} started (pid {Pid})")]
    private partial void LogStarted(string resource, int pid);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Resource} is healthy")]
    private partial void LogHealthy(string resource);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Resource} is unhealthy: {Reason}")]
    private partial void LogUnhealthy(string resource, string? reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Resource} exited with code {ExitCode}")]
    private partial void LogExited(string resource, int exitCode);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Resource}: {Message}")]
    private partial void LogRestarting(string resource, string message);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Resource} (pid {Pid}) did not stop within {Seconds} s of SIGTERM: killed")]
    private partial void LogKilled(string resource, int pid, double seconds);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Supervising {Resource} failed")]
    private partial void LogSupervisorFailed(Exception exception, string resource);
}
