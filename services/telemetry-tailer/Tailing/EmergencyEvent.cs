namespace Platform.TelemetryTailer.Tailing;

/// <summary>
/// An emergency of a session: the record itself when it carries an <c>emergency</c> object, or, for a threshold
/// crossing, the record's fields with an <c>emergency</c> object describing the rule (seed 003's shape).
/// </summary>
public sealed record EmergencyEvent(string SessionId, long Line, string Reason, byte[] Json);
