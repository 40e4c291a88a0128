using System.Text.Json;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
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
}
