namespace Platform.Transport.Commands;

/// <summary>
/// cmd_seq for the commands the transport issues itself (the video gate's latch and estop, /ws/signals commands).
/// Layer 3 ignores a set_cmd_vel whose cmd_seq is not above the last one from the same source, and the source
/// "transport" outlives any one transport process; so the sequence is Unix time in microseconds, bumped to stay
/// strictly increasing: a restarted transport still issues numbers above its predecessor's.
/// </summary>
public sealed class CommandSequence(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _last;

    public long Next()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(last + 1, now);
            if (Interlocked.CompareExchange(ref _last, next, last) == last) return next;
        }
    }
}
