namespace Platform.Transport.Tests;

internal static class TestOptions
{
    /// <summary>For tests without video: the layer-2 gate never trips while they run.</summary>
    public static void WithoutVideoGate(TransportOptions o)
    {
        o.VideoGate.HoldAfterMs = 600_000;
        o.VideoGate.EstopAfterMs = 1_200_000;
    }
}
