using System.Buffers;
using System.Text.Json;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>
/// Finds a session's emergencies: records that carry an <c>emergency</c> object, and records where a threshold rule
/// goes from not matching to matching (a crossing; staying above the threshold raises nothing more).
/// </summary>
public sealed class EmergencyDetector(IReadOnlyList<ThresholdRule> rules)
{
    private readonly bool[] _matching = new bool[rules.Count];

    public EmergencyEvent? Inspect(TailRecord record)
    {
        EmergencyEvent? found = null;
        if (record.HasEmergencyObject)
        {
            var own = record.Data.GetProperty("emergency");
            var reason = own.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "emergency";
            found = new EmergencyEvent(record.SessionId, record.Line, reason, record.Utf8);
        }
        for (var i = 0; i < rules.Count; i++)
        {
            var matches = rules[i].Matches(record.Data, out var actual);
            if (matches && !_matching[i] && found is null) found = Crossing(record, rules[i], actual);
            _matching[i] = matches;
        }
        return found;
    }

    private static EmergencyEvent Crossing(TailRecord record, ThresholdRule rule, JsonElement actual)
    {
        var buffer = new ArrayBufferWriter<byte>(record.Utf8.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in record.Data.EnumerateObject())
            {
                if (!property.NameEquals("emergency")) property.WriteTo(writer);
            }
            writer.WriteStartObject("emergency");
            writer.WriteString("reason", "threshold_crossed");
            writer.WriteString("severity", rule.Severity);
            writer.WriteString("metric", rule.Field);
            writer.WriteString("op", rule.Op);
            writer.WritePropertyName("value");
            actual.WriteTo(writer);
            writer.WriteNumber("threshold", rule.Number ?? double.NaN);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return new EmergencyEvent(record.SessionId, record.Line, $"threshold_crossed: {rule}", buffer.WrittenSpan.ToArray());
    }
}
