using System.Diagnostics;

namespace Platform.SimRunner.Hosting;

/// <summary>
/// Calls a tick callback <c>hz</c> times per second of wall-clock time on a fixed grid (tick n is due at start + n/hz, so
/// waits never accumulate drift) and reports how late each tick started. It runs on the calling thread and sleeps until
/// each deadline with an absolute-deadline <c>clock_nanosleep</c> (Linux only, like the rest of the platform): sub-100 µs
/// wake-ups without spinning, and a tick never starts early. A tick that falls behind runs at once to catch up;
/// after a stall longer than <c>maxCatchUpTicks</c> the grid is re-anchored rather than bursting through the backlog.
/// </summary>
public sealed class RealTimeTicker
{
    private readonly double _periodTs;
    private readonly int _maxCatchUpTicks;

    public RealTimeTicker(int hz, int maxCatchUpTicks = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hz, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCatchUpTicks, 1);
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The real-time ticker sleeps with Linux's clock_nanosleep.");
        Hz = hz;
        _periodTs = (double)Stopwatch.Frequency / hz;
        _maxCatchUpTicks = maxCatchUpTicks;
    }

    public int Hz { get; }
    public TimeSpan Period => TimeSpan.FromSeconds(1.0 / Hz);

    /// <summary>Ticks skipped because the loop stalled past the catch-up window.</summary>
    public long SkippedTicks { get; private set; }

    /// <summary>Runs until cancelled; <paramref name="onTick"/> gets the 1-based tick number and how late it started.</summary>
    public void Run(Action<long, TimeSpan> onTick, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        long n = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = start + (long)((n + 1) * _periodTs);
            long now;
            while ((now = Stopwatch.GetTimestamp()) < due) MonotonicSleep.Until(due);
            var lateTs = now - due;
            if (lateTs > _maxCatchUpTicks * _periodTs)
            {
                var behind = (long)(lateTs / _periodTs);
                SkippedTicks += behind;
                start += (long)(behind * _periodTs);
                lateTs -= (long)(behind * _periodTs);
            }
            n++;
            onTick(n, TimeSpan.FromSeconds((double)lateTs / Stopwatch.Frequency));
        }
    }

    /// <summary>Runs <see cref="Run"/> on a dedicated thread; the task completes when it is cancelled.</summary>
    public Task RunOnDedicatedThread(Action<long, TimeSpan> onTick, CancellationToken cancellationToken)
        => Task.Factory.StartNew(() => Run(onTick, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .ContinueWith(t => t.Exception is { } ex ? Task.FromException(ex.InnerException ?? ex) : Task.CompletedTask, TaskScheduler.Default).Unwrap();
}
