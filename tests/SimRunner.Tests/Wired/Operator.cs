using System.Text;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>A viewer-like operator on NATS: numbered commands, and a 20 Hz set_cmd_vel heartbeat it can start and stop.</summary>
internal sealed class Operator(INatsConnection nats, string source = "op") : IAsyncDisposable
{
    private long _seq;
    private CancellationTokenSource? _heartbeat;
    private Task? _heartbeatTask;

    public long LastSeq => Interlocked.Read(ref _seq);

    public async Task<long> SendAsync(string action, string dataJson = "{}", long? seq = null)
    {
        var s = seq ?? Interlocked.Increment(ref _seq);
        var json = $$"""{"action":"{{action}}","cmd_seq":{{s}},"data":{{dataJson}},"source":"{{source}}","issued_at":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""";
        await nats.PublishAsync(SubjectNames.Command(action), Encoding.UTF8.GetBytes(json));
        return s;
    }

    public Task<long> CmdVelAsync(double vx, long? seq = null)
        => SendAsync(CommandActions.SetCmdVel, $$"""{"linear_x":{{vx.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"linear_y":0,"angular_z":0}""", seq);

    public void StartHeartbeat(double vx)
    {
        _heartbeat = new CancellationTokenSource();
        var ct = _heartbeat.Token;
        _heartbeatTask = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            do await CmdVelAsync(vx);
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }, ct);
    }

    /// <summary>
    /// Sends estop_clear (about five a second) until <paramref name="armed"/> holds, as an operator presses RE-ARM: the
    /// sim latches ESTOP when nobody drove it for 2 s, which a slow start makes happen before the test begins.
    /// Run the heartbeat meanwhile (the sim refuses a clear without fresh set_cmd_vel).
    /// </summary>
    public Task ReArmUntilAsync(Func<bool> armed, string what, TimeSpan? timeout = null)
    {
        var lastClear = TimeSpan.FromSeconds(-1); // not MinValue: Elapsed - MinValue overflows, which hid every clear
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return Eventually.WaitAsync(async () =>
        {
            if (armed()) return true;
            if (clock.Elapsed - lastClear < TimeSpan.FromMilliseconds(200)) return false;
            lastClear = clock.Elapsed;
            await SendAsync(CommandActions.EstopClear, """{"operator":"test"}""");
            return false;
        }, what, timeout ?? TimeSpan.FromSeconds(15));
    }

    public async Task StopHeartbeatAsync()
    {
        if (_heartbeat is null) return;
        await _heartbeat.CancelAsync();
        try { await _heartbeatTask!; } catch (OperationCanceledException) { }
        _heartbeat.Dispose();
        _heartbeat = null;
    }

    public ValueTask DisposeAsync() => new(StopHeartbeatAsync());
}
