namespace Platform.Contracts.Subjects;

/// <summary>
/// <c>video.&lt;stream&gt;.control</c> request: <c>{keyframe: true}</c>, <c>{bitrate_bps}</c> and/or a record lease
/// <c>{record: true, lease_ms}</c>; <c>reason</c> names the asker for the encoder's logs.
/// </summary>
/// <remarks>
/// The record profile (<c>video.&lt;stream&gt;.record</c>) is encoded only while someone holds a lease on it: a consumer (the
/// recorder, while it records a session) sends <c>{record: true, lease_ms: N}</c> (N from 1 to
/// <see cref="VideoControlRequest.MaxRecordLeaseMs"/>) and renews it well before it lapses, e.g. every N/2. A lease never
/// shortens another: the encoder records until the latest expiry of all leases. When the first lease arrives the encoder
/// opens a record session, so the record stream starts with a keyframe (SPS, PPS, IDR); once every lease has lapsed it
/// flushes and closes that session and publishes nothing on <c>.record</c> until the next lease. A lease may come before
/// the stream is ingested; it holds for the stream's next Ingest call. The live profile does not depend on leases.
/// </remarks>
public sealed record VideoControlRequest(bool? Keyframe = null, long? BitrateBps = null, string? Reason = null, bool? Record = null, int? LeaseMs = null)
{
    /// <summary>The longest record lease one request may take (a consumer that died stops the record encoder within it).</summary>
    public const int MaxRecordLeaseMs = 60_000;
}

/// <summary>
/// The encoder's reply to a control request. <c>keyframe_accepted</c> is false when the request was throttled;
/// <c>applied_bitrate_bps</c> is the bitrate after clamping to the ceiling; <c>record_lease_ms</c> is the record lease granted
/// from now; <c>error</c> says what was wrong with the request.
/// </summary>
public sealed record VideoControlReply(
    bool? KeyframeAccepted = null,
    ulong? FrameId = null,
    long? AppliedBitrateBps = null,
    long? CeilingBps = null,
    bool? Clamped = null,
    string? Error = null,
    int? RecordLeaseMs = null);

/// <summary><c>session.&lt;id&gt;.terminate</c>: <c>{reason, detail}</c>, e.g. reason <c>recording_failed</c>.</summary>
public sealed record SessionTerminateMessage(string Reason, string? Detail = null);
