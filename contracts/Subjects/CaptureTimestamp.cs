namespace Platform.Contracts.Subjects;

/// <summary>
/// The clock of <see cref="VideoHeaderNames.CaptureTs"/> and <c>RawFrame.capture_ts_us</c>: the source's wall clock in
/// Unix microseconds. Another process stamps it, so latency measured against this process's wall clock can come out
/// negative when the clocks disagree.
/// </summary>
public static class CaptureTimestamp
{
    /// <summary>
    /// Milliseconds from <paramref name="captureTsUs"/> to <paramref name="now"/>: 0 when the source's clock is ahead
    /// (never a negative latency), null when the frame carries no timestamp (0).
    /// </summary>
    public static double? AgeMs(long captureTsUs, DateTimeOffset now)
    {
        if (captureTsUs <= 0) return null;
        var nowUs = (now - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        return Math.Max(0, nowUs - captureTsUs) / 1000.0;
    }
}
