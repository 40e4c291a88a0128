namespace Platform.TelemetryTailer;

/// <summary>A session as listed to clients: its file, what was read from it, and how much history is held.</summary>
public sealed record SessionInfo(
    string SessionId,
    string File,
    long Records,
    long Errors,
    long Emergencies,
    long LastLine,
    int Buffered,
    long BufferedBytes,
    DateTimeOffset? UpdatedAt);
