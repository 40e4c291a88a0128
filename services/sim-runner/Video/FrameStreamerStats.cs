namespace Platform.SimRunner.Video;

/// <summary>
/// The streamer's counts so far. Frame ids advance with wall time (one per frame period), so
/// <see cref="LastFrameId"/> minus <see cref="Sent"/> is what never reached the encoder: back-pressure drops and outages.
/// </summary>
public readonly record struct FrameStreamerStats(long Rendered, long Sent, long Dropped, long Reconnects, long LastFrameId, bool Connected);
