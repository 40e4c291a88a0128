using Platform.TelemetryTailer.Streaming;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>
/// What one read of one file produced. Its WebSocket messages are serialized once, lazily, and shared by every
/// client that takes them unfiltered.
/// </summary>
public sealed class SessionBatch(string sessionId, IReadOnlyList<TailRecord> records, IReadOnlyList<TailError> errors, IReadOnlyList<EmergencyEvent> emergencies)
{
    private byte[]? _telemetryMessage;
    private byte[][]? _errorMessages;
    private byte[][]? _emergencyMessages;

    public string SessionId { get; } = sessionId;
    public IReadOnlyList<TailRecord> Records { get; } = records;
    public IReadOnlyList<TailError> Errors { get; } = errors;
    public IReadOnlyList<EmergencyEvent> Emergencies { get; } = emergencies;

    public byte[] TelemetryMessage
        => LazyInitializer.EnsureInitialized(ref _telemetryMessage, () => WireMessages.Telemetry(SessionId, Records, history: false));

    public byte[][] ErrorMessages
        => LazyInitializer.EnsureInitialized(ref _errorMessages, () => Errors.Select(WireMessages.LineError).ToArray());

    public byte[][] EmergencyMessages
        => LazyInitializer.EnsureInitialized(ref _emergencyMessages, () => Emergencies.Select(WireMessages.Emergency).ToArray());
}
