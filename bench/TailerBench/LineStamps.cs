using System.Buffers.Text;
using System.Diagnostics;

namespace Platform.TailerBench;

/// <summary>
/// Lines stamped with the monotonic time of their append (<c>"t":Stopwatch ticks</c>), and the collector that
/// turns every stamp it finds in delivered bytes into an append-to-delivery latency. Both paths under test
/// deliver the lines' bytes unchanged, so the same scan serves both.
/// </summary>
internal sealed class LineStamps
{
    private static ReadOnlySpan<byte> Marker => "\"t\":"u8;
    private readonly Lock _gate = new();
    private readonly List<double> _latenciesMs = new(1 << 20);
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public static string Line(long seq, long stamp)
        => $"{{\"seq\":{seq},\"t\":{stamp},\"telemetry\":{{\"phi\":0.72,\"kappa_eff\":64.2,\"regime\":\"geometric\",\"basin_distance\":0.15}}}}\n";

    /// <summary>Scans delivered bytes (whole lines or whole messages) for stamps.</summary>
    public void Collect(ReadOnlySpan<byte> delivered)
    {
        var now = Stopwatch.GetTimestamp();
        var found = 0;
        lock (_gate)
        {
            while (true)
            {
                var at = delivered.IndexOf(Marker);
                if (at < 0) break;
                delivered = delivered[(at + Marker.Length)..];
                if (!Utf8Parser.TryParse(delivered, out long stamp, out var used)) continue;
                delivered = delivered[used..];
                _latenciesMs.Add(Stopwatch.GetElapsedTime(stamp, now).TotalMilliseconds);
                found++;
            }
        }
        Interlocked.Add(ref _count, found);
    }

    public void Reset()
    {
        lock (_gate) _latenciesMs.Clear();
        Interlocked.Exchange(ref _count, 0);
    }

    public (double P50, double P99, double Max) Percentiles()
    {
        lock (_gate)
        {
            if (_latenciesMs.Count == 0) return (double.NaN, double.NaN, double.NaN);
            var sorted = _latenciesMs.ToArray();
            Array.Sort(sorted);
            return (sorted[(int)(sorted.Length * 0.50)], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], sorted[^1]);
        }
    }
}
