namespace Platform.Contracts.Subjects;

/// <summary>
/// <c>video.&lt;stream&gt;.control</c> request: <c>{keyframe: true}</c> and/or <c>{bitrate_bps}</c>;
/// <c>reason</c> names the asker for the encoder's logs.
/// </summary>
public sealed record VideoControlRequest(bool? Keyframe = null, long? BitrateBps = null, string? Reason = null);

/// <summary>
/// The encoder's reply to a control request. <c>keyframe_accepted</c> is false when the request was throttled;
/// <c>applied_bitrate_bps</c> is the bitrate after clamping to the ceiling; <c>error</c> says what was wrong with the request.
/// </summary>
public sealed record VideoControlReply(
    bool? KeyframeAccepted = null,
    ulong? FrameId = null,
    long? AppliedBitrateBps = null,
    long? CeilingBps = null,
    bool? Clamped = null,
    string? Error = null);

/// <summary><c>session.&lt;id&gt;.terminate</c>: <c>{reason, detail}</c>, e.g. reason <c>recording_failed</c>.</summary>
public sealed record SessionTerminateMessage(string Reason, string? Detail = null);
