using System.Runtime.InteropServices;
using System.Text.Json;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>One well-formed JSONL record: its session, its 1-based line number and its JSON object.</summary>
public sealed record TailRecord(string SessionId, long Line, JsonElement Data)
{
    /// <summary>The record's JSON exactly as read (no re-serialization on the way out).</summary>
    public ReadOnlySpan<byte> Utf8 => JsonMarshal.GetRawUtf8Value(Data);
}
