extern alias authority;
extern alias simrunner;
using NATS.Client.Core;
using Platform.Contracts.Subjects;
using Platform.TestSupport;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>A service's real Program in-process: its NATS client, workers and loop, and its gRPC service on Kestrel (h2c, free port).</summary>
internal sealed class RunningService(ServiceProgram program)
{
    public string GrpcAddress => program.GrpcAddress.GetLeftPart(UriPartial.Authority);

    public T Get<T>() where T : notnull => program.Get<T>();

    public async Task ShutdownAsync() => await program.DisposeAsync();
}

/// <summary>Starts the real sim-runner and safety-authority (their Program.cs) against a real nats-server.</summary>
internal static class ServiceHosts
{
    /// <summary>The sim without video unless <paramref name="settings"/> turn it on (SimRunner:Video:Enabled and its encoder).</summary>
    public static async Task<RunningService> StartSimAsync(string natsUrl, string logDirectory, string session = "test", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:nats"] = natsUrl,
            ["SimRunner:TelemetryLog:Directory"] = logDirectory,
            ["SimRunner:TelemetryLog:SessionId"] = session,
            ["SimRunner:Video:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return new RunningService(await ServiceProgram.StartAsync<simrunner::Program>(all));
    }

    public static async Task<RunningService> StartAuthorityAsync(string natsUrl, string bucket)
        => new(await ServiceProgram.StartAsync<authority::Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:nats"] = natsUrl,
            ["SafetyAuthority:KvBucket"] = bucket,
        }));

    /// <summary>Waits until the sim answers a schema request: its NATS connection and subscriptions are then up.</summary>
    public static Task WaitForSimAsync(INatsConnection client) => Eventually.WaitAsync(async () =>
    {
        try
        {
            var reply = await client.RequestAsync<byte[], byte[]>(SubjectNames.SimSchema, [], replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromMilliseconds(500) });
            return reply.Data is { Length: > 0 };
        }
        catch (NatsException)
        {
            return false;
        }
    }, "sim-runner answering telemetry.sim.schema", TimeSpan.FromSeconds(30));
}
