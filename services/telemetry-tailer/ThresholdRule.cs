using System.Globalization;
using System.Text.Json;

namespace Platform.TelemetryTailer;

/// <summary>
/// A comparison of one record field (a dotted path such as <c>telemetry.phi</c>) with a value.
/// Numbers compare with all operators, strings and booleans with == and != only. A missing field never matches.
/// </summary>
public sealed class ThresholdRule
{
    private static readonly string[] Operators = [">", ">=", "<", "<=", "==", "!="];
    private readonly string[] _path;

    private ThresholdRule(string field, string op, double? number, string? text, bool? flag, string severity)
    {
        Field = field;
        Op = op;
        Number = number;
        Text = text;
        Flag = flag;
        Severity = severity;
        _path = field.Split('.');
    }

    public string Field { get; }
    public string Op { get; }
    public double? Number { get; }
    public string? Text { get; }
    public bool? Flag { get; }
    public string Severity { get; }

    public static ThresholdRule FromOptions(ThresholdRuleOptions options)
    {
        if (!TryCreate(options.Field, options.Op, options.Value, null, null, options.Severity, out var rule, out var error))
            throw new InvalidOperationException($"TelemetryTailer:EmergencyRules: {error}");
        return rule!;
    }

    /// <summary>Parses a client's filter object <c>{"field": "...", "op": "...", "value": ...}</c>.</summary>
    public static bool TryParse(JsonElement json, out ThresholdRule? rule, out string? error)
    {
        rule = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = "a filter must be an object {field, op, value}";
            return false;
        }
        var field = json.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
        var op = json.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "";
        if (!json.TryGetProperty("value", out var value))
        {
            error = "a filter needs a value";
            return false;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number => TryCreate(field, op, value.GetDouble(), null, null, "high", out rule, out error),
            JsonValueKind.String => TryCreate(field, op, null, value.GetString(), null, "high", out rule, out error),
            JsonValueKind.True or JsonValueKind.False => TryCreate(field, op, null, null, value.GetBoolean(), "high", out rule, out error),
            _ => Fail("a filter value must be a number, a string or a boolean", out error),
        };
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }

    private static bool TryCreate(string field, string op, double? number, string? text, bool? flag, string severity, out ThresholdRule? rule, out string? error)
    {
        rule = null;
        if (string.IsNullOrWhiteSpace(field) || field.Split('.').Any(string.IsNullOrEmpty))
            return Fail($"filter field '{field}' is not a dotted path such as telemetry.phi", out error);
        if (!Operators.Contains(op))
            return Fail($"filter op '{op}' is not one of {string.Join(' ', Operators)}", out error);
        if (number is null && op is not ("==" or "!="))
            return Fail($"filter op '{op}' needs a number", out error);
        if (number is { } n && !double.IsFinite(n))
            return Fail("filter value must be finite", out error);
        rule = new ThresholdRule(field, op, number, text, flag, severity);
        error = null;
        return true;
    }

    /// <summary>True when the record has the field and it satisfies the comparison; <paramref name="actual"/> is the field's value.</summary>
    public bool Matches(JsonElement record, out JsonElement actual)
    {
        actual = record;
        foreach (var segment in _path)
        {
            if (actual.ValueKind != JsonValueKind.Object || !actual.TryGetProperty(segment, out actual)) return false;
        }
        if (Number is { } threshold)
        {
            if (actual.ValueKind != JsonValueKind.Number || !actual.TryGetDouble(out var v)) return false;
            return Op switch
            {
                ">" => v > threshold,
                ">=" => v >= threshold,
                "<" => v < threshold,
                "<=" => v <= threshold,
                "==" => v == threshold,
                _ => v != threshold,
            };
        }
        bool equal;
        if (Text is not null)
        {
            if (actual.ValueKind != JsonValueKind.String) return false;
            equal = actual.ValueEquals(Text);
        }
        else
        {
            if (actual.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return false;
            equal = actual.GetBoolean() == Flag;
        }
        return Op == "==" ? equal : !equal;
    }

    /// <summary>True when every rule matches (an empty list matches everything).</summary>
    public static bool All(IReadOnlyList<ThresholdRule> rules, JsonElement record)
    {
        foreach (var rule in rules)
        {
            if (!rule.Matches(record, out _)) return false;
        }
        return true;
    }

    public override string ToString()
        => $"{Field} {Op} {(Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : Text is not null ? JsonSerializer.Serialize(Text) : Flag == true ? "true" : "false")}";
}
