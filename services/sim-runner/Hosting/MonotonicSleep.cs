using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Platform.SimRunner.Hosting;

/// <summary>
/// Sleeps until an absolute <see cref="Stopwatch"/> timestamp with <c>clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)</c>:
/// the kernel wakes the thread at the deadline (tens of µs late at most on an idle core) without the thread spinning
/// or yielding to get there. On Linux <see cref="Stopwatch.GetTimestamp"/> reads the same CLOCK_MONOTONIC.
/// </summary>
internal static partial class MonotonicSleep
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsTime = 1;
    private const int Eintr = 4;
    private const long NanosecondsPerSecond = 1_000_000_000;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>Returns at or after <paramref name="deadline"/> (a Stopwatch timestamp), or early on a signal: callers loop on the clock.</summary>
    public static void Until(long deadline)
    {
        var ns = (long)((Int128)deadline * NanosecondsPerSecond / Stopwatch.Frequency);
        var request = new Timespec { Seconds = ns / NanosecondsPerSecond, Nanoseconds = ns % NanosecondsPerSecond };
        var error = ClockNanosleep(ClockMonotonic, TimerAbsTime, request, IntPtr.Zero);
        if (error != 0 && error != Eintr) throw new InvalidOperationException($"clock_nanosleep failed with error {error}");
    }

    // clock_nanosleep returns the error number instead of setting errno.
    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clockId, int flags, in Timespec request, IntPtr remain);
}
