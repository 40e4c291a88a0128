namespace Platform.TestSupport;

/// <summary>Percentiles of sorted samples, for the benches.</summary>
public static class Percentiles
{
    /// <summary>Linear interpolation between closest ranks; NaN for no samples.</summary>
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) return double.NaN;
        var rank = p / 100.0 * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
