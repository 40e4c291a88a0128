using System.Text.Json.Serialization;

namespace Platform.SafetyAuthority.State;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PersistedSafetyState))]
internal sealed partial class AuthorityJsonContext : JsonSerializerContext;
