using System.Text.Json.Serialization;

namespace Platform.Contracts.Subjects;

[JsonConverter(typeof(JsonStringEnumConverter<AckStatus>))]
public enum AckStatus
{
    [JsonStringEnumMemberName("ok")] Ok,
    [JsonStringEnumMemberName("rejected")] Rejected,
    [JsonStringEnumMemberName("ignored")] Ignored,
}
