namespace Platform.Media;

/// <summary>How libx264 spreads a session over its threads.</summary>
public enum EncoderThreading
{
    /// <summary>Each frame is cut into slices encoded in parallel: one frame in, one access unit out (lowest latency).</summary>
    Slices,

    /// <summary>Several frames in flight: more throughput, but output lags input by (threads - 1) frames.</summary>
    Frames,
}
