using System.Text.Json;
using System.Text.Unicode;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>
/// Checks one line: valid UTF-8, one JSON object and nothing after it. One forward pass of a reader, no
/// document is built (the hot path); on the way it notes a top-level <c>emergency</c> object.
/// </summary>
public static class LineDecoder
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Blank lines give neither a record nor an error.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    public static bool TryValidate(ReadOnlySpan<byte> line, out bool hasEmergencyObject, out string? error)
    {
        hasEmergencyObject = false;
        if (!Utf8.IsValid(line))
        {
            error = "invalid UTF-8";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(line, ReaderOptions);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = $"record is a JSON {Describe(reader.TokenType)}, not an object";
                return false;
            }
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("emergency"u8))
                {
                    reader.Read();
                    hasEmergencyObject |= reader.TokenType == JsonTokenType.StartObject;
                }
            }
            // The reader throws on anything after the object but whitespace; the final read ends at the object's end.
        }
        catch (JsonException ex)
        {
            error = $"invalid JSON: {ex.Message}";
            return false;
        }
        error = null;
        return true;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString().ToLowerInvariant(),
    };
}
