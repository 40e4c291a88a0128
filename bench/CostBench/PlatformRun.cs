using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using NATS.Client.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using Platform.TestSupport;

namespace Platform.CostBench;

/// <summary>One process group's CPU over the sampled window, as a share of one core.</summary>
internal sealed record ProcessCost(string Name, double PercentOfCore, bool IsService);

/// <summary>What one run of the whole platform cost: per process group, and the live video it published meanwhile.</summary>
internal sealed record PlatformCost(IReadOnlyList<ProcessCost> Processes, double LiveFps, int Width, int Height);

/// <summary>
/// The whole platform (the AppHost's testing builder, as Platform.IntegrationTests starts it, with no viewer) at one
/// resolution: once every service runs and live video flows, and after a warm-up, each service's process is sampled from
/// /proc over the window; DCP's <c>dotnet run</c> wrappers, DCP itself and this process (which hosts the AppHost) are
/// listed apart.
/// </summary>
internal static class PlatformRun
{
    private static readonly string[] Resources = ["nats", "safety-authority", "encoder", "sim-runner", "transport", "recorder", "telemetry-tailer"];
    private const string Stream = "main";

    public static async Task<PlatformCost> MeasureAsync(int width, int height, TimeSpan warmUp, TimeSpan window, bool serviceLogs)
    {
        // A JetStream state folder of its own: a latched ESTOP from a developer's run must not hold the bench's robot.
        var state = Directory.CreateTempSubdirectory("cost-bench-state-").FullName;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([$"--{NatsServerBuilderExtensions.StateDirectoryKey}={state}"]);
            // The services' own console output would drown the table (--service-logs keeps it); the AppHost's warnings stay.
            builder.Services.AddLogging(logging => logging.AddFilter("Platform.AppHost.Resources", serviceLogs ? LogLevel.Information : LogLevel.None).AddFilter("Aspire", LogLevel.Warning));
            var sim = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "sim-runner");
            builder.CreateResourceBuilder(sim)
                .WithEnvironment("SimRunner__Video__Width", width.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("SimRunner__Video__Height", height.ToString(CultureInfo.InvariantCulture));
            await using var app = await builder.BuildAsync();
            await app.StartAsync();
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180)))
            {
                foreach (var resource in Resources) await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
            }
            await using var nats = new NatsConnection(NatsOpts.Default with { Url = (await app.GetConnectionStringAsync("nats"))!, Name = "cost-bench" });
            await nats.ConnectAsync();
            long frames = 0;
            using var stop = new CancellationTokenSource();
            var counting = Task.Run(async () =>
            {
                await foreach (var _ in nats.SubscribeAsync<byte[]>(SubjectNames.VideoLive(Stream), cancellationToken: stop.Token)) Interlocked.Increment(ref frames);
            });
            // "Healthy" only means DCP's `dotnet run` started, which on a loaded machine is tens of seconds before the service is.
            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            var resources = Resources.Select(r => model.Resources.Single(m => m.Name == r)).ToList();
            await Eventually.WaitAsync(() => resources.All(r => Processes(app, r).Service.Count > 0) && Interlocked.Read(ref frames) > 0,
                "every service running and live video flowing", TimeSpan.FromSeconds(180));
            await Task.Delay(warmUp);

            var groups = resources.ToDictionary(r => r.Name, r => Processes(app, r));
            var inResources = groups.Values.SelectMany(g => g.Service.Concat(g.Wrappers)).ToHashSet();
            var wrappers = groups.Values.SelectMany(g => g.Wrappers).ToList();
            var self = Environment.ProcessId;
            // DCP detaches from this process; its API server watches this process (--monitor <pid>) and starts the rest.
            var dcp = ProcessCpu.Find(a => a.Contains("start-apiserver") && a.Contains("--monitor") && a.Contains(self.ToString(CultureInfo.InvariantCulture)))
                .SelectMany(ProcessCpu.Tree).Where(p => !inResources.Contains(p)).Distinct().ToList();
            var before = Snapshot(inResources.Concat(dcp).Append(self));
            var framesBefore = Interlocked.Read(ref frames);
            var clock = Stopwatch.StartNew();
            await Task.Delay(window);
            var after = Snapshot(before.Keys);
            var elapsed = clock.Elapsed.TotalSeconds;
            var fps = (Interlocked.Read(ref frames) - framesBefore) / elapsed;
            await stop.CancelAsync();
            await counting.ContinueWith(_ => { }, TaskScheduler.Default);

            double Percent(IEnumerable<int> pids) => pids.Where(p => before.ContainsKey(p) && after.ContainsKey(p)).Sum(p => after[p] - before[p]) / elapsed * 100;
            var processes = groups.Select(g => new ProcessCost(g.Key, Percent(g.Value.Service), IsService: true)).ToList();
            processes.Add(new ProcessCost("DCP's `dotnet run` wrappers", Percent(wrappers), IsService: false));
            processes.Add(new ProcessCost($"DCP ({string.Join(", ", dcp.Select(SafeName).Distinct())})", Percent(dcp), IsService: false));
            processes.Add(new ProcessCost("AppHost + this bench (one process)", Percent([self]), IsService: false));
            return new PlatformCost(processes, fps, width, height);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static Dictionary<int, double> Snapshot(IEnumerable<int> pids)
    {
        var cpu = new Dictionary<int, double>();
        foreach (var pid in pids.Distinct())
        {
            if (ProcessCpu.Seconds(pid) is { } seconds) cpu[pid] = seconds;
        }
        return cpu;
    }

    private static string SafeName(int pid)
    {
        try
        {
            return ProcessCpu.Name(pid);
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>
    /// The resource's own processes, and DCP's <c>dotnet run</c> wrapper for a project. A project's service is whatever
    /// runs from its bin folder (<c>dotnet run</c> does not always stay its parent); nats-server is the resource's process.
    /// </summary>
    private static (List<int> Service, List<int> Wrappers) Processes(DistributedApplication app, IResource resource)
    {
        var launched = app.ResourceNotifications.TryGetCurrentState(resource.Name, out var current)
            && current.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            ? ProcessCpu.Tree(Convert.ToInt32(value, CultureInfo.InvariantCulture)).Where(ProcessState.IsAlive).ToList()
            : [];
        if (resource is not ProjectResource project) return (launched, []);
        var bin = Path.Combine(Path.GetDirectoryName(project.GetProjectMetadata().ProjectPath)!, "bin") + Path.DirectorySeparatorChar;
        var service = ProcessCpu.Find(a => a[0].StartsWith(bin, StringComparison.Ordinal) || (a.Length > 1 && a[1].StartsWith(bin, StringComparison.Ordinal)))
            .SelectMany(ProcessCpu.Tree).Distinct().ToList();
        return (service, [.. launched.Except(service)]);
    }
}
