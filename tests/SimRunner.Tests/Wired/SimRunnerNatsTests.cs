using System.Text;
using System.Text.Json;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.SimRunner.Hosting;
using Platform.TestSupport;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>The wired sim-runner (loop, NATS inputs and outputs, JSONL log) against a real nats-server; the test plays operator and authority.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class SimRunnerNatsTests : IAsyncLifetime
{
    private NatsServer _server = null!;
    private NatsConnection _client = null!;
    private RunningService _sim = null!;
    private SubjectRecorder<CommandAck> _acks = null!;
    private SubjectRecorder<SafetyEventMessage> _events = null!;
    private SubjectRecorder<SimStateMessage> _states = null!;
    private readonly string _logDir = Path.Combine(Path.GetTempPath(), "platform-sim-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _server = await NatsServer.StartAsync();
        _client = new NatsConnection(new NatsOpts { Url = _server.Url });
        await _client.ConnectAsync();
        _acks = await SubjectRecorder<CommandAck>.StartAsync(_client, SubjectNames.CommandAck, SubjectsJsonContext.Default.CommandAck);
        _events = await SubjectRecorder<SafetyEventMessage>.StartAsync(_client, SubjectNames.SafetyEvent("sim"), SubjectsJsonContext.Default.SafetyEventMessage);
        _states = await SubjectRecorder<SimStateMessage>.StartAsync(_client, SubjectNames.SimState, SubjectsJsonContext.Default.SimStateMessage);
        _sim = await ServiceHosts.StartSimAsync(_server.Url, _logDir);
        await ServiceHosts.WaitForSimAsync(_client);
        await Eventually.WaitAsync(async () =>
        {
            await new Operator(_client, "probe").SendAsync(CommandActions.Resume, seq: 1);
            return _acks.Messages.Any(a => a.Message.Action == CommandActions.Resume);
        }, "sim-runner acking commands");
    }

    public async Task DisposeAsync()
    {
        await _sim.ShutdownAsync();
        await _acks.DisposeAsync();
        await _events.DisposeAsync();
        await _states.DisposeAsync();
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        try { Directory.Delete(_logDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task ACommandIsAnsweredOnTheAckSubject()
    {
        var op = new Operator(_client);
        var seq = await op.SendAsync(CommandActions.Pause);
        var ack = await _acks.WaitForAsync(a => a.Action == CommandActions.Pause && a.CmdSeq == seq, "pause ack");
        Assert.Equal(AckStatus.Ok, ack.Status);
        await _states.WaitForAsync(s => s.Paused, "a paused state");
    }

    [Fact]
    public async Task MalformedAndUnknownCommandsAreRejectedWithAReasonAndTheLoopGoesOn()
    {
        await _client.PublishAsync(SubjectNames.Command(CommandActions.Pause), Encoding.UTF8.GetBytes("{not json"));
        await _client.PublishAsync(SubjectNames.Command("fly"), Encoding.UTF8.GetBytes("""{"action":"fly","cmd_seq":77}"""));
        await _client.PublishAsync(SubjectNames.Command(CommandActions.Step), Encoding.UTF8.GetBytes("""{"action":"step","cmd_seq":78,"data":{"count":-3}}"""));
        var malformed = await _acks.WaitForAsync(a => a.Reason?.Contains("malformed JSON") == true, "malformed JSON rejected");
        var unknown = await _acks.WaitForAsync(a => a.CmdSeq == 77, "unknown action rejected");
        var invalid = await _acks.WaitForAsync(a => a.CmdSeq == 78, "invalid step rejected");
        Assert.All([malformed, unknown, invalid], a => Assert.Equal(AckStatus.Rejected, a.Status));
        Assert.Contains("unknown action 'fly'", unknown.Reason);

        var frame = (await _states.WaitForAsync(_ => true, "a state")).Frame;
        await _states.WaitForAsync(s => s.Frame > frame + 60, "the loop still stepping");
    }

    [Fact]
    public async Task TheSchemaIsAnsweredOnRequest()
    {
        var reply = await _client.RequestAsync<byte[], byte[]>(SubjectNames.SimSchema, []);
        var schema = JsonSerializer.Deserialize(reply.Data!, SubjectsJsonContext.Default.SimSchemaMessage)!;
        Assert.Equal(["robot0", "sim", "safety"], schema.Modules);
        Assert.Contains(schema.Signals, s => s.Name == "robot0.x" && s.Unit == "m" && s.Writable);
        Assert.Equal((240, 60), (schema.PhysicsHz, schema.TelemetryHz));
    }

    [Fact]
    public async Task TelemetryIsPublishedAndAppendedAsJsonLines()
    {
        await _states.WaitForAsync(s => s.Frame > 240, "a second of telemetry");
        var states = _states.Messages.Select(m => m.Message).ToList();
        Assert.Equal(states.Select(s => s.Frame).Order(), states.Select(s => s.Frame));
        Assert.Contains("robot0.vx", states[^1].Names);

        var path = _sim.Get<TelemetryLogWriter>().FilePath;
        Assert.Equal(Path.Combine(_logDir, "test.jsonl"), path);
        await Eventually.WaitAsync(() => File.Exists(path) && File.ReadLines(path).Count() > 30, "telemetry lines in the JSONL file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var lines = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var records = lines.Select(l => JsonSerializer.Deserialize(l, SubjectsJsonContext.Default.TelemetryRecord)!).ToList();
        Assert.All(records, r => Assert.Equal("test", r.SessionId));
        Assert.Contains(records, r => r.Telemetry?.ContainsKey("robot0.x") == true);
        Assert.Contains(records, r => r.Event?.Kind == SafetyEventKind.CmdTtl); // disarmed at start: the HOLD event is logged too
    }

    [Fact]
    public async Task AnOutOfOrderCmdSeqIsIgnored()
    {
        await using var authority = new FakeAuthority(_client);
        var op = new Operator(_client);
        await op.CmdVelAsync(0.2, seq: 50);
        await op.CmdVelAsync(0.9, seq: 49);
        var ignored = await _acks.WaitForAsync(a => a.Action == CommandActions.SetCmdVel && a.CmdSeq == 49, "ack of the stale command");
        Assert.Equal(AckStatus.Ignored, ignored.Status);
        Assert.Contains("not newer than 50", ignored.Reason);
    }

    [Fact]
    public async Task CommandSilenceHoldsAt200MsDecaysAndEstopsAt2S()
    {
        await using var authority = new FakeAuthority(_client);
        await using var op = new Operator(_client);
        op.StartHeartbeat(1.0);
        await op.ReArmUntilAsync(() => _states.Latest is { Mode: SafetyMode.Armed } s && Value(s, "robot0.vx") > 0.9, "the robot driving at 1 m/s");
        await op.StopHeartbeatAsync();
        var (statesBefore, eventsBefore) = (_states.Messages.Count, _events.Messages.Count);

        var hold = await _events.WaitForAsync(e => e.Kind == SafetyEventKind.CmdTtl && e.Mode == SafetyMode.Hold, "cmd_ttl HOLD", after: eventsBefore);
        Assert.Equal(200, hold.StaleMs);
        var estop = await _events.WaitForAsync(e => e.Kind == SafetyEventKind.CmdTtl && e.Mode == SafetyMode.Estop, "cmd_ttl ESTOP", after: eventsBefore);
        Assert.Equal(2000, estop.StaleMs);
        Assert.True(estop.At - hold.At is > 1500 and < 2500, $"ESTOP came {estop.At - hold.At} ms after HOLD");

        // Through HOLD the velocity only falls (halved each tick), and it is 0 well before the ESTOP.
        var afterHold = _states.Messages.Skip(statesBefore).Select(m => m.Message).SkipWhile(s => s.Mode != SafetyMode.Hold).TakeWhile(s => s.Mode == SafetyMode.Hold).Select(s => Value(s, "robot0.vx")).ToList();
        Assert.True(afterHold.Count > 10);
        Assert.True(afterHold[0] < 0.55, $"first HOLD sample {afterHold[0]} m/s: the decay starts at once");
        Assert.Equal(afterHold.OrderDescending(), afterHold);
        Assert.Equal(0, afterHold[^1]);
        await _states.WaitForAsync(s => s.Mode == SafetyMode.Estop && Value(s, "safety.latched") == 1, "latched ESTOP in telemetry");
    }

    [Fact]
    public async Task AuthoritySilenceHoldsAfter1500Ms()
    {
        await using var op = new Operator(_client);
        op.StartHeartbeat(0.5);
        var authority = new FakeAuthority(_client);
        await op.ReArmUntilAsync(() => _states.Latest?.Mode == SafetyMode.Armed, "ARMED with the authority heard");
        await authority.DisposeAsync();
        var lost = await _events.WaitForAsync(e => e.Kind == SafetyEventKind.AuthorityLost && e.Mode == SafetyMode.Hold, "authority_lost HOLD");
        Assert.Equal(1500, lost.StaleMs);
        await _states.WaitForAsync(s => s.Mode == SafetyMode.Hold && Value(s, "robot0.vx") == 0, "robot stopped in HOLD");

        await using var back = new FakeAuthority(_client);
        await _events.WaitForAsync(e => e.Kind == SafetyEventKind.AuthorityLost && e.Mode == SafetyMode.Armed, "authority back");
        await _states.WaitForAsync(s => s.Mode == SafetyMode.Armed && Value(s, "robot0.vx") > 0.1, "driving again");
    }

    private static double Value(SimStateMessage s, string name)
    {
        for (var i = 0; i < s.Names.Count; i++)
        {
            if (s.Names[i] == name) return s.Values[i];
        }
        throw new KeyNotFoundException(name);
    }
}
