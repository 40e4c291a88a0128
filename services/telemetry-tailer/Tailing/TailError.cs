namespace Platform.TelemetryTailer.Tailing;

/// <summary>A malformed line (bad JSON, invalid UTF-8, over the size limit, not an object), reported with its file and line.</summary>
public sealed record TailError(string SessionId, string File, long Line, string Reason);
