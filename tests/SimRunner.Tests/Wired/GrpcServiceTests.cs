using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Platform.Contracts.Safety.V1;
using Platform.Contracts.Sim.V1;
using NATS.Client.Core;
using Platform.TestSupport;
using Subjects = Platform.Contracts.Subjects;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>SimControl and SafetyAuthority over real HTTP/2 (Grpc.AspNetCore on Kestrel h2c, Grpc.Net.Client and @grpc/grpc-js), services on a real nats-server.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class GrpcServiceTests : IAsyncLifetime
{
    private NatsServer _server = null!;
    private NatsConnection _client = null!;
    private RunningService _sim = null!;
    private RunningService _authority = null!;
    private GrpcChannel _simChannel = null!;
    private GrpcChannel _authorityChannel = null!;
    private readonly string _logDir = Path.Combine(Path.GetTempPath(), "platform-sim-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _server = await NatsServer.StartAsync();
        _client = new NatsConnection(new NatsOpts { Url = _server.Url });
        await _client.ConnectAsync();
        _authority = await ServiceHosts.StartAuthorityAsync(_server.Url, "grpc-test");
        // The sim's own cmd_ttl ESTOP (2 s without set_cmd_vel) would latch first on a slow start and name itself as
        // the reason; pushed out of the way, its disarmed gate stays HOLD, which is all these tests need of it.
        _sim = await ServiceHosts.StartSimAsync(_server.Url, _logDir, settings: new Dictionary<string, string?> { ["SimRunner:Safety:CmdTtlEstopMs"] = "600000" });
        await ServiceHosts.WaitForSimAsync(_client);
        _simChannel = GrpcChannel.ForAddress(_sim.GrpcAddress);
        _authorityChannel = GrpcChannel.ForAddress(_authority.GrpcAddress);
    }

    public async Task DisposeAsync()
    {
        _simChannel.Dispose();
        _authorityChannel.Dispose();
        await _sim.ShutdownAsync();
        await _authority.ShutdownAsync();
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        try { Directory.Delete(_logDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task SimControlPausesStepsSetsAndWatches()
    {
        var sim = new SimControl.SimControlClient(_simChannel);
        var schema = await sim.GetSchemaAsync(new GetSchemaRequest());
        Assert.Equal(240, schema.TickRateHz);
        Assert.Contains("robot0", schema.Modules);

        var paused = await sim.PauseAsync(new PauseRequest { Origin = new CommandOrigin { Source = "grpc-test", CmdSeq = 5 } });
        Assert.Equal((CommandAck.Types.Status.Ok, 5UL), (paused.Status, paused.CmdSeq));
        var stepped = await sim.StepAsync(new StepRequest { Count = 10 });
        Assert.Equal(CommandAck.Types.Status.Ok, stepped.Status);
        Assert.Equal(paused.Frame + 10, stepped.Frame);
        var set = await sim.SetAsync(new SetRequest { Signal = "robot0.x", Value = 1.25 });
        Assert.Equal(CommandAck.Types.Status.Ok, set.Status);
        var readOnly = await sim.SetAsync(new SetRequest { Signal = "robot0.vx", Value = 1 });
        Assert.Equal(CommandAck.Types.Status.Rejected, readOnly.Status);
        Assert.Contains("read-only", readOnly.Reason);
        var bad = await Assert.ThrowsAsync<RpcException>(() => sim.StepAsync(new StepRequest { Count = 0 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var watch = sim.WatchState(new Contracts.Sim.V1.WatchStateRequest { Patterns = { "robot0.*" } }, cancellationToken: cts.Token);
        // The first state a watcher gets is the newest published, which may predate the set (states go out at the
        // telemetry rate); the set value follows within a few states, and stays while paused.
        var seen = new List<double>();
        while (seen.LastOrDefault() != 1.25)
        {
            Assert.True(seen.Count < 120, $"robot0.x never showed the value set (1.25) in two seconds of states: {string.Join(", ", seen.Distinct())}");
            Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
            var state = watch.ResponseStream.Current;
            Assert.True(state.Paused);
            Assert.All(state.Signals.Keys, k => Assert.StartsWith("robot0.", k));
            seen.Add(state.Signals["robot0.x"]);
        }
    }

    [Fact]
    public async Task SafetyAuthorityLatchesRefusesClearWhileGatedAndStreamsChanges()
    {
        var authority = new Contracts.Safety.V1.SafetyAuthority.SafetyAuthorityClient(_authorityChannel);
        var first = await authority.GetStateAsync(new GetStateRequest());
        Assert.True(first.StateId > 0);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var watch = authority.WatchState(new Contracts.Safety.V1.WatchStateRequest(), cancellationToken: cts.Token);
        var estopped = await authority.EstopAsync(new EstopRequest { Reason = "grpc test", Source = "test" });
        Assert.Equal(Contracts.Safety.V1.SafetyMode.Estop, estopped.Mode);
        Assert.Contains("grpc test", estopped.Reason);
        SafetyState seen;
        do
        {
            Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
            seen = watch.ResponseStream.Current;
        }
        while (seen.Mode != Contracts.Safety.V1.SafetyMode.Estop);
        Assert.True(seen.StateId > first.StateId);

        // The sim starts disarmed, so its cmd_ttl gate is up: clearing is refused and says why.
        await Eventually.WaitAsync(async () => (await authority.GetStateAsync(new GetStateRequest())).Sources.Any(s => s.Source == "sim" && s.Active), "the sim's gate at the authority");
        var refused = await authority.ClearEstopAsync(new ClearEstopRequest { Operator = "alice" });
        Assert.False(refused.Cleared);
        Assert.Contains("sim.cmd_ttl", refused.Reason);
        Assert.Equal(Contracts.Safety.V1.SafetyMode.Estop, refused.State.Mode);

        // The same state on NATS.
        var reply = await _client.SubscribeCoreAsync<byte[]>(Subjects.SubjectNames.SafetyState);
        var msg = await reply.Msgs.ReadAsync(cts.Token);
        var nats = JsonSerializer.Deserialize(msg.Data!, Subjects.SubjectsJsonContext.Default.SafetyStateMessage)!;
        Assert.Equal(Subjects.SafetyMode.Estop, nats.Mode);
        Assert.True((ulong)nats.StateId >= seen.StateId);
        await reply.DisposeAsync();
    }

    [Fact]
    public async Task GrpcJs_finds_each_service_by_reflection_and_calls_it_and_its_health()
    {
        var sim = await ReflectAsync(_sim.GrpcAddress, "platform.sim.v1.SimControl/GetSchema", "{}");
        Assert.Contains("platform.sim.v1.SimControl", sim.Services);
        Assert.Equal(["GetSchema", "Pause", "Resume", "Reset", "Step", "Set", "WatchState"], sim.Methods["platform.sim.v1.SimControl"]);
        Assert.Equal(240, sim.Replies["GetSchema"].GetProperty("tick_rate_hz").GetInt32());
        Assert.Equal("SERVING", sim.Replies["Check"].GetProperty("status").GetString());

        var authority = await ReflectAsync(_authority.GrpcAddress, "platform.safety.v1.SafetyAuthority/GetState", "{}");
        Assert.Contains("platform.safety.v1.SafetyAuthority", authority.Services);
        Assert.Equal(["GetState", "WatchState", "Estop", "ClearEstop"], authority.Methods["platform.safety.v1.SafetyAuthority"]);
        Assert.NotEqual("0", authority.Replies["GetState"].GetProperty("state_id").GetString());
        Assert.Equal("SERVING", authority.Replies["Check"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_SimControl_call_is_one_trace_from_the_caller_into_the_sim()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var root = new Activity("operator").SetIdFormat(ActivityIdFormat.W3C).Start();

        await new SimControl.SimControlClient(_simChannel).PauseAsync(new PauseRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        root.Stop();

        // Other tests run in parallel in this process: only this trace counts.
        await Eventually.WaitAsync(() => activities.Any(a => a.TraceId == root.TraceId && a.Kind == ActivityKind.Server), "the sim's server span");
        var server = Assert.Single(activities, a => a.TraceId == root.TraceId && a.Kind == ActivityKind.Server);
        Assert.Equal("Microsoft.AspNetCore", server.Source.Name);
        Assert.Equal("/platform.sim.v1.SimControl/Pause", server.GetTagItem("grpc.method"));
        Assert.Equal("0", server.GetTagItem("grpc.status_code"));
        // Up from the server span to the caller's: client spans only (the gRPC call's, then its HTTP request's).
        var clientSpans = new List<string>();
        for (var parent = server.ParentSpanId; parent != root.SpanId && clientSpans.Count < 5;)
        {
            var span = Assert.Single(activities, a => a.TraceId == root.TraceId && a.SpanId == parent);
            Assert.Equal(ActivityKind.Client, span.Kind);
            clientSpans.Add(span.OperationName);
            parent = span.ParentSpanId;
        }
        Assert.Contains("Grpc.Net.Client.GrpcOut", clientSpans);
    }

    private sealed record Reflected(List<string> Services, Dictionary<string, List<string>> Methods, Dictionary<string, JsonElement> Replies);

    /// <summary>@grpc/grpc-js reflection (as grpcurl list/describe), then the call given and grpc.health.v1 Check(""), from the descriptors alone.</summary>
    private static async Task<Reflected> ReflectAsync(string address, string call, string request)
    {
        var output = await NodePeer.RunAsync("grpc-reflection.mjs", TimeSpan.FromSeconds(60), address.Replace("http://", "", StringComparison.Ordinal),
            call, request, "grpc.health.v1.Health/Check", "{}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var services = lines.Single(l => l.GetProperty("op").GetString() == "list").GetProperty("services").EnumerateArray().Select(e => e.GetString()!).ToList();
        var methods = lines.Where(l => l.GetProperty("op").GetString() == "describe")
            .ToDictionary(l => l.GetProperty("service").GetString()!, l => l.GetProperty("methods").EnumerateArray().Select(e => e.GetString()!).ToList());
        var replies = new Dictionary<string, JsonElement>();
        foreach (var l in lines.Where(l => l.GetProperty("op").GetString() == "call"))
        {
            Assert.True(l.GetProperty("code").GetInt32() == 0, output);
            replies[l.GetProperty("method").GetString()!] = l.GetProperty("reply");
        }
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", services);
        return new Reflected(services, methods, replies);
    }
}
