using System.Text;
using System.Text.Json;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;
using Platform.SimRunner.Engine;
using Platform.SimRunner.Hosting;
using Platform.TestSupport;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>
/// The safety stack across services: the real sim-runner and safety-authority hosts on one real nats-server
/// (JetStream on, so the authority's latch lives in a real key-value bucket). The test is the operator (and,
/// for the video gate, the transport).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class SafetyPlatformTests : IAsyncLifetime
{
    private const string Bucket = "safety-test";
    private NatsServer _server = null!;
    private NatsConnection _client = null!;
    private RunningService _sim = null!;
    private RunningService? _authority;
    private SubjectRecorder<CommandAck> _acks = null!;
    private SubjectRecorder<SafetyEventMessage> _simEvents = null!;
    private SubjectRecorder<SafetyStateMessage> _safety = null!;
    private SubjectRecorder<SimStateMessage> _states = null!;
    private Operator _op = null!;
    private readonly string _logDir = Path.Combine(Path.GetTempPath(), "platform-sim-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _server = await NatsServer.StartAsync();
        _client = new NatsConnection(new NatsOpts { Url = _server.Url });
        await _client.ConnectAsync();
        _acks = await SubjectRecorder<CommandAck>.StartAsync(_client, SubjectNames.CommandAck, SubjectsJsonContext.Default.CommandAck);
        _simEvents = await SubjectRecorder<SafetyEventMessage>.StartAsync(_client, SubjectNames.SafetyEvent("sim"), SubjectsJsonContext.Default.SafetyEventMessage);
        _safety = await SubjectRecorder<SafetyStateMessage>.StartAsync(_client, SubjectNames.SafetyState, SubjectsJsonContext.Default.SafetyStateMessage);
        _states = await SubjectRecorder<SimStateMessage>.StartAsync(_client, SubjectNames.SimState, SubjectsJsonContext.Default.SimStateMessage);
        _authority = await ServiceHosts.StartAuthorityAsync(_server.Url, Bucket);
        _sim = await ServiceHosts.StartSimAsync(_server.Url, _logDir);
        _op = new Operator(_client);
        await ServiceHosts.WaitForSimAsync(_client);
        await _safety.WaitForAsync(_ => true, "the authority publishing", TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _op.DisposeAsync();
        await _sim.ShutdownAsync();
        if (_authority is not null) await _authority.ShutdownAsync();
        await _acks.DisposeAsync();
        await _simEvents.DisposeAsync();
        await _safety.DisposeAsync();
        await _states.DisposeAsync();
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        try { Directory.Delete(_logDir, recursive: true); } catch (IOException) { }
    }

    /// <summary>The operator drives: set_cmd_vel at 20 Hz (the heartbeat), then estop_clear until both layers are ARMED.</summary>
    private async Task ArmAsync(double vx = 0.5)
    {
        _op.StartHeartbeat(vx);
        try
        {
            // Heard means acked: a cmd_ttl ARMED event need not come (a heartbeat that beats the loop's first tick
            // means the sim never was HOLD).
            await _acks.WaitForAsync(a => a.Action == CommandActions.SetCmdVel && a.Status == AckStatus.Ok, "the sim hearing the operator", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            // What the sim said meanwhile, read at the deadline.
            throw new TimeoutException(
                $"{ex.Message} (heartbeat seq {_op.LastSeq}; acks: {string.Join("; ", _acks.Messages.TakeLast(5).Select(a => $"{a.Message.Action} {a.Message.CmdSeq} {a.Message.Status} {a.Message.Reason}"))}; " +
                $"events: {string.Join("; ", _simEvents.Messages.Select(e => $"{e.Message.Kind} {e.Message.Mode}"))} (unreadable: {string.Join("; ", _simEvents.Unreadable)}); " +
                $"states: {_states.Messages.Count}, last {(_states.Latest is { } s ? $"{s.Mode} frame {s.Frame}" : "none")}; sim loop: {_sim.Get<SimEngine>().Ticks} ticks, " +
                $"last {_sim.Get<SimulationLoopService>().SinceLastTick.TotalMilliseconds:0} ms ago, outbox dropped {_sim.Get<SimOutbox>().Dropped})", ex);
        }
        await _op.ReArmUntilAsync(() => LatestSafety()?.Mode == SafetyMode.Armed && _states.Latest?.Mode == SafetyMode.Armed, "authority and sim ARMED");
    }

    private SafetyStateMessage? LatestSafety() => _safety.Messages.Count == 0 ? null : _safety.Messages.MaxBy(m => m.Message.StateId).Message;

    private async Task PublishTransportGateAsync(SafetyMode mode)
        => await _client.PublishAsync(SubjectNames.SafetyEvent("transport"), JsonSerializer.SerializeToUtf8Bytes(
            new SafetyEventMessage(SafetyEventKind.VideoGate, mode, 1200, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), SubjectsJsonContext.Default.SafetyEventMessage));

    [Fact]
    public async Task EstopIsLatchedAndClearIsRefusedWhileAGateIsActive()
    {
        await ArmAsync();
        await _op.SendAsync(CommandActions.Estop, """{"reason":"test"}""");
        var estop = await _safety.WaitForAsync(s => s.Mode == SafetyMode.Estop, "authority ESTOP");
        await _states.WaitForAsync(s => s.Mode == SafetyMode.Estop && s.Values[s.Names.ToList().IndexOf("robot0.vx")] == 0, "sim stopped");

        await PublishTransportGateAsync(SafetyMode.Hold);
        await _safety.WaitForAsync(s => s.Sources.Any(x => x.Source == "transport" && x.Active), "the video gate in the state");
        var seq = await _op.SendAsync(CommandActions.EstopClear, """{"operator":"test"}""");
        var refused = await _acks.WaitForAsync(a => a.CmdSeq == seq && a.Status == AckStatus.Rejected, "refused estop_clear");
        Assert.Contains("transport.video_gate (HOLD)", refused.Reason);
        Assert.Equal(SafetyMode.Estop, LatestSafety()!.Mode);

        await PublishTransportGateAsync(SafetyMode.Armed);
        await _safety.WaitForAsync(s => s.Sources.All(x => !x.Active) && s.StateId > estop.StateId, "the gate lifted");
        await _op.SendAsync(CommandActions.EstopClear, """{"operator":"test"}""");
        await _safety.WaitForAsync(s => s.Mode == SafetyMode.Armed && s.StateId > estop.StateId, "authority ARMED after the clear");
        await _states.WaitForAsync(s => s.Mode == SafetyMode.Armed, "sim ARMED after the clear");
        Assert.Equal(_safety.Messages.Select(m => m.Message.StateId).Order(), _safety.Messages.Select(m => m.Message.StateId));
    }

    [Fact]
    public async Task KillingTheAuthorityHoldsTheSimAndARestartKeepsALatchedEstop()
    {
        await ArmAsync();
        await _authority!.ShutdownAsync();
        _authority = null;
        var lost = await _simEvents.WaitForAsync(e => e.Kind == SafetyEventKind.AuthorityLost && e.Mode == SafetyMode.Hold, "the sim noticing the silence");
        Assert.Equal(1500, lost.StaleMs);
        await _states.WaitForAsync(s => s.Mode == SafetyMode.Hold, "sim in HOLD without the authority");

        _authority = await ServiceHosts.StartAuthorityAsync(_server.Url, Bucket);
        await _simEvents.WaitForAsync(e => e.Kind == SafetyEventKind.AuthorityLost && e.Mode == SafetyMode.Armed, "the sim hearing the new authority");
        await _op.SendAsync(CommandActions.Estop, """{"reason":"before restart"}""");
        var latched = await _safety.WaitForAsync(s => s.Mode == SafetyMode.Estop, "ESTOP latched");

        await _authority.ShutdownAsync();
        var before = _safety.Messages.Count;
        _authority = await ServiceHosts.StartAuthorityAsync(_server.Url, Bucket);
        await Eventually.WaitAsync(() => _safety.Messages.Count > before, "a state from the restarted authority");
        var restarted = _safety.Messages[before].Message;
        Assert.Equal(SafetyMode.Estop, restarted.Mode);
        Assert.Contains("before restart", restarted.Reason);
        Assert.True(restarted.StateId > latched.StateId, $"state_id {restarted.StateId} after the restart must exceed {latched.StateId}");
        await _states.WaitForAsync(s => s.Mode == SafetyMode.Estop, "sim still ESTOP");
    }

    [Fact]
    public async Task A_nats_server_restart_mid_drive_holds_the_sim_and_driving_resumes_after_a_re_arm()
    {
        await ArmAsync();
        var engine = _sim.Get<SimEngine>();
        await _server.StopAsync();
        // No authority state reaches the sim: its own layer holds it.
        await Eventually.WaitAsync(() => engine.Safety.Mode != SafetyMode.Armed, "the sim holding while NATS is down", TimeSpan.FromSeconds(15));
        await _server.RestartAsync();

        // Every service resubscribes (the client does; the loops see their subscriptions in place).
        await Eventually.WaitAsync(() => _sim.Get<NatsSubscriptionLoop>().Down.Count == 0 && _authority!.Get<NatsSubscriptionLoop>().Down.Count == 0,
            "every subscription in place again", TimeSpan.FromSeconds(30));
        await ServiceHosts.WaitForSimAsync(_client);
        var afterRestart = _safety.Messages.Count;
        await _safety.WaitForAsync(_ => true, "the authority publishing again", TimeSpan.FromSeconds(30), after: afterRestart);

        // Driving resumes only after the operator re-arms.
        await _op.ReArmUntilAsync(() => LatestSafety()?.Mode == SafetyMode.Armed && _states.Latest?.Mode == SafetyMode.Armed, "authority and sim ARMED after the re-arm", TimeSpan.FromSeconds(30));
        var seq = await _op.CmdVelAsync(0.5);
        await _acks.WaitForAsync(a => a.Action == CommandActions.SetCmdVel && a.CmdSeq == seq && a.Status == AckStatus.Ok, "a set_cmd_vel applied again", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Garbage_wrong_types_and_huge_payloads_on_every_subject_the_sim_and_authority_take_leave_them_running()
    {
        await ArmAsync();
        var huge = new byte[900 * 1024]; // under nats-server's 1 MB max_payload
        huge.AsSpan().Fill((byte)'[');
        byte[][] bad = [Encoding.UTF8.GetBytes("\u0001garbage{"), Encoding.UTF8.GetBytes("""{"action":42,"cmd_seq":"x","data":[1,2]}"""), huge];
        var before = LatestSafety()!;

        // Commands the sim parses: each bad one is answered, with the reason.
        var acksBefore = _acks.Messages.Count;
        foreach (var payload in bad) await _client.PublishAsync(SubjectNames.Command(CommandActions.SetCmdVel), payload);
        await Eventually.WaitAsync(() => _acks.Messages.Skip(acksBefore).Count(a => a.Message.Status == AckStatus.Rejected) >= bad.Length, "every bad command rejected with a reason", TimeSpan.FromSeconds(15));
        Assert.All(_acks.Messages.Skip(acksBefore).Where(a => a.Message.Status == AckStatus.Rejected), a => Assert.False(string.IsNullOrWhiteSpace(a.Message.Reason)));

        // Safety events and authority states that cannot be read change nothing: not the authority's sources, not the sim's mode.
        foreach (var payload in bad)
        {
            await _client.PublishAsync(SubjectNames.SafetyEvent("transport"), payload);
            await _client.PublishAsync(SubjectNames.SafetyState, payload);
            await _client.PublishAsync(SubjectNames.Command(CommandActions.EstopClear), payload);
            await _client.RequestAsync<byte[], byte[]>(SubjectNames.SimSchema, payload); // answered whatever the request says
        }
        await _client.PingAsync();
        var after = await _safety.WaitForAsync(s => s.StateId >= before.StateId, "the authority still publishing", after: _safety.Messages.Count);
        Assert.Equal(SafetyMode.Armed, after.Mode);
        Assert.DoesNotContain(after.Sources, x => x.Source == "transport");

        // Both services are alive and subscribed: the sim drives and answers, the authority publishes.
        Assert.Empty(_sim.Get<NatsSubscriptionLoop>().Down);
        Assert.Empty(_authority!.Get<NatsSubscriptionLoop>().Down);
        var seq = await _op.CmdVelAsync(0.5);
        await _acks.WaitForAsync(a => a.Action == CommandActions.SetCmdVel && a.CmdSeq == seq && a.Status == AckStatus.Ok, "driving still works", TimeSpan.FromSeconds(15));

        // An estop is honoured even when its payload cannot be read (stopping is the safe reading of garbage).
        await _client.PublishAsync(SubjectNames.Command(CommandActions.Estop), bad[0]);
        await _safety.WaitForAsync(s => s.Mode == SafetyMode.Estop, "ESTOP from an unreadable estop");
    }
}
