using System.Text.Json.Serialization;

namespace Platform.Contracts.Subjects;

/// <summary>Safety modes in order of severity: a larger value is stricter.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SafetyMode>))]
public enum SafetyMode
{
    [JsonStringEnumMemberName("ARMED")] Armed = 0,
    [JsonStringEnumMemberName("HOLD")] Hold = 1,
    [JsonStringEnumMemberName("ESTOP")] Estop = 2,
}

public static class SafetyModes
{
    public static SafetyMode Strictest(SafetyMode a, SafetyMode b) => a >= b ? a : b;

    public static string ToWire(this SafetyMode mode) => mode switch
    {
        SafetyMode.Armed => "ARMED",
        SafetyMode.Hold => "HOLD",
        _ => "ESTOP",
    };
}
