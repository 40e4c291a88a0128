using System.Text.Json;
using System.Text.Unicode;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>Turns one line's bytes into a record, or says why it is malformed.</summary>
public static class LineDecoder
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Blank lines give neither a record nor an error.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    public static bool TryDecode(ReadOnlySpan<byte> line, out JsonElement record, out string? error)
    {
        record = default;
        if (!Utf8.IsValid(line))
        {
            error = "invalid UTF-8";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(line, ReaderOptions);
            record = JsonElement.ParseValue(ref reader); // a copy: the line's buffer is reused
            if (!line[(int)reader.BytesConsumed..].Trim(" \t\r"u8).IsEmpty)
            {
                error = $"invalid JSON: unexpected data after the value at byte {reader.BytesConsumed}";
                return false;
            }
        }
        catch (JsonException ex)
        {
            error = $"invalid JSON: {ex.Message}";
            return false;
        }
        if (record.ValueKind != JsonValueKind.Object)
        {
            error = $"record is a JSON {record.ValueKind.ToString().ToLowerInvariant()}, not an object";
            return false;
        }
        error = null;
        return true;
    }
}
