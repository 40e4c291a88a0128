using System.Text.Json;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>
/// One well-formed JSONL record: its session, its 1-based line number and its JSON object exactly as read
/// (validated, sent on without re-serialization). The parsed form is built on first use only (filters,
/// threshold rules), once per record.
/// </summary>
public sealed class TailRecord(string sessionId, long line, byte[] utf8, bool hasEmergencyObject = false)
{
    private object? _data; // the boxed JsonElement, once parsed

    public string SessionId { get; } = sessionId;
    public long Line { get; } = line;
    public byte[] Utf8 { get; } = utf8;

    /// <summary>Whether the record has a top-level <c>emergency</c> object (found while validating).</summary>
    public bool HasEmergencyObject { get; } = hasEmergencyObject;

    public JsonElement Data => (JsonElement)LazyInitializer.EnsureInitialized(ref _data, Parse);

    private object Parse()
    {
        var reader = new Utf8JsonReader(Utf8);
        return JsonElement.ParseValue(ref reader);
    }
}
