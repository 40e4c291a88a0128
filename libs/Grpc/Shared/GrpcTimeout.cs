using System.Globalization;

namespace Platform.Grpc.Shared;

/// <summary>The <c>grpc-timeout</c> header: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9) return false;
        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)) return false;
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => amount / 100,
            _ => null,
        };
        if (ticks is null) return false;
        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>The finest unit whose value fits in 8 digits, rounding up so the peer never sees a longer time than is left.</summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(timeout.Ticks, 0);
        var micros = (ticks + 9) / 10;
        if (micros <= MaxValue) return micros.ToString(CultureInfo.InvariantCulture) + "u";
        var millis = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        if (millis <= MaxValue) return millis.ToString(CultureInfo.InvariantCulture) + "m";
        var seconds = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        if (seconds <= MaxValue) return seconds.ToString(CultureInfo.InvariantCulture) + "S";
        var minutes = (ticks + TimeSpan.TicksPerMinute - 1) / TimeSpan.TicksPerMinute;
        if (minutes <= MaxValue) return minutes.ToString(CultureInfo.InvariantCulture) + "M";
        return Math.Min((ticks + TimeSpan.TicksPerHour - 1) / TimeSpan.TicksPerHour, MaxValue).ToString(CultureInfo.InvariantCulture) + "H";
    }
}
