using System.Text.Json.Serialization;

namespace Platform.Nats.Tests;

public sealed record SafetyState(string StateId, string Mode, string Reason, long SinceMs);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SafetyState))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
