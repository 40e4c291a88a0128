namespace Platform.GrpcBench;

/// <summary>One load run: calls (or frames) completed, over how long, with latency percentiles.</summary>
internal sealed record LoadResult(long Calls, double Seconds, double P50Us, double P99Us)
{
    public double CallsPerSecond => Calls / Seconds;

    public static LoadResult From(List<double> latenciesUs, double seconds)
    {
        latenciesUs.Sort();
        double Pct(double p) => latenciesUs.Count == 0 ? double.NaN : latenciesUs[Math.Min(latenciesUs.Count - 1, (int)(latenciesUs.Count * p))];
        return new LoadResult(latenciesUs.Count, seconds, Pct(0.5), Pct(0.99));
    }
}
