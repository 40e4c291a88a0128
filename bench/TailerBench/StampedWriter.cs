using System.Diagnostics;
using System.Text;

namespace Platform.TailerBench;

/// <summary>Appends stamped lines to a file: as fast as it can (throughput) or at a fixed rate (latency).</summary>
internal static class StampedWriter
{
    /// <summary>Appends <paramref name="lines"/> lines in writes of <paramref name="perWrite"/>, each stamped just before its write.</summary>
    public static void Flood(string path, int lines, int perWrite)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var text = new StringBuilder(perWrite * 128);
        for (var seq = 0; seq < lines;)
        {
            text.Clear();
            var stamp = Stopwatch.GetTimestamp();
            for (var i = 0; i < perWrite && seq < lines; i++, seq++) text.Append(LineStamps.Line(seq, stamp));
            file.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }
    }

    /// <summary>Appends <paramref name="linesPerSecond"/> lines a second for <paramref name="duration"/>, one write per millisecond.</summary>
    public static int Paced(string path, int linesPerSecond, TimeSpan duration)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var clock = Stopwatch.StartNew();
        var written = 0;
        while (clock.Elapsed < duration)
        {
            var due = (int)(clock.Elapsed.TotalSeconds * linesPerSecond);
            if (due > written)
            {
                var text = new StringBuilder();
                var stamp = Stopwatch.GetTimestamp();
                for (; written < due; written++) text.Append(LineStamps.Line(written, stamp));
                file.Write(Encoding.UTF8.GetBytes(text.ToString()));
            }
            var next = TimeSpan.FromMilliseconds(Math.Floor(clock.Elapsed.TotalMilliseconds) + 1);
            while (clock.Elapsed < next) Thread.SpinWait(50); // sub-millisecond pacing without timer jitter
        }
        return written;
    }
}
