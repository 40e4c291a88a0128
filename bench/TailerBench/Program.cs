using System.Diagnostics;
using System.Globalization;

namespace Platform.TailerBench;

/// <summary>
/// Telemetry tailer bench: lines/s from file append to delivery, and append-to-delivery latency p50/p99 at a steady
/// rate, for the tailer's /ws/telemetry and for the baseline `tail -F | TCP`, measured the same way in the same run.
/// Usage: dotnet run -c Release --project bench/TailerBench [-- lines rate seconds]
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // WebApplicationFactory reads the services' content roots from MvcTestingAppManifest.json in the current directory.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var floodLines = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500_000;
        var pacedRate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var pacedSeconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        Console.WriteLine($"TailerBench: flood {floodLines:N0} lines (1000 per write), then {pacedRate:N0} lines/s for {pacedSeconds} s (a write per ms); {Environment.ProcessorCount} CPUs");
        Console.WriteLine($"{"path",-42} {"lines/s",12} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");

        var results = new List<Result>();
        foreach (var path in new IDeliveryPath[] { new TailTcpPath(), new TailerPath(deflate: false), new TailerPath(deflate: true) })
        {
            var result = await MeasureAsync(path, floodLines, pacedRate, TimeSpan.FromSeconds(pacedSeconds));
            results.Add(result);
            Console.WriteLine($"{result.Name,-42} {result.LinesPerSecond,12:N0} {result.P50,8:0.00} {result.P99,8:0.00} {result.Max,8:0.00}");
        }

        var baseline = results[0];
        Console.WriteLine();
        foreach (var r in results.Skip(1))
        {
            Console.WriteLine($"{r.Name}: throughput {r.LinesPerSecond / baseline.LinesPerSecond:0.00}x baseline, p50 {r.P50 / baseline.P50:0.00}x, p99 {r.P99 / baseline.P99:0.00}x");
            Console.WriteLine($"  goal p99 < 20 ms: {(r.P99 < 20 ? "met" : "NOT met")}; goal >= 100k lines/s: {(r.LinesPerSecond >= 100_000 ? "met" : "NOT met")}");
        }
        return 0;
    }

    private sealed record Result(string Name, double LinesPerSecond, double P50, double P99, double Max);

    private static async Task<Result> MeasureAsync(IDeliveryPath path, int floodLines, int pacedRate, TimeSpan pacedFor)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tailer-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "bench.jsonl");
        File.WriteAllBytes(file, []);
        var stamps = new LineStamps();
        try
        {
            await using (path)
            {
                await path.StartAsync(file, stamps);
                // Warm-up: the first lines pay for JIT and connection setup on both paths.
                StampedWriter.Flood(file, 20_000, 1000);
                await WaitForAsync(stamps, 20_000);
                stamps.Reset();

                var clock = Stopwatch.StartNew();
                StampedWriter.Flood(file, floodLines, 1000);
                await WaitForAsync(stamps, floodLines);
                var linesPerSecond = floodLines / clock.Elapsed.TotalSeconds;
                stamps.Reset();

                var written = StampedWriter.Paced(file, pacedRate, pacedFor);
                await WaitForAsync(stamps, written);
                var (p50, p99, max) = stamps.Percentiles();
                return new Result(path.Name, linesPerSecond, p50, p99, max);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WaitForAsync(LineStamps stamps, long count)
    {
        var deadline = Stopwatch.StartNew();
        while (stamps.Count < count)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"only {stamps.Count} of {count} lines delivered in 60 s");
            await Task.Delay(1);
        }
    }
}
