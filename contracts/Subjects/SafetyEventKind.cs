using System.Text.Json.Serialization;

namespace Platform.Contracts.Subjects;

/// <summary>What raised a safety event (the <c>kind</c> of <c>safety.event.&lt;source&gt;</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SafetyEventKind>))]
public enum SafetyEventKind
{
    [JsonStringEnumMemberName("video_gate")] VideoGate,
    [JsonStringEnumMemberName("cmd_ttl")] CmdTtl,
    [JsonStringEnumMemberName("operator")] Operator,
    [JsonStringEnumMemberName("authority_lost")] AuthorityLost,
}

public static class SafetyEventKinds
{
    public static string ToWire(this SafetyEventKind kind) => kind switch
    {
        SafetyEventKind.VideoGate => "video_gate",
        SafetyEventKind.CmdTtl => "cmd_ttl",
        SafetyEventKind.Operator => "operator",
        _ => "authority_lost",
    };
}
