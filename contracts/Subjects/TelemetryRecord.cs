namespace Platform.Contracts.Subjects;

/// <summary>
/// One line of <c>logs/telemetry/&lt;session&gt;.jsonl</c> (the telemetry tailer's input, seed 003's record shape):
/// a state record carries <c>telemetry</c> (signal → value); a safety event carries <c>event</c>, and an ESTOP
/// also <c>emergency</c>. <c>timestamp</c> is ISO 8601 UTC.
/// </summary>
public sealed record TelemetryRecord(
    string Timestamp,
    string SessionId,
    long Step,
    double Time,
    SafetyMode Mode,
    IReadOnlyDictionary<string, double>? Telemetry = null,
    SafetyEventMessage? Event = null,
    TelemetryEmergency? Emergency = null);

public sealed record TelemetryEmergency(string Reason, string Severity, SafetyEventKind Kind);
