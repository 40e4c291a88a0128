using System.Text.Json.Serialization;

namespace Platform.Nats.Internal;

/// <summary>Source-generated JSON for the protocol's own documents (INFO, CONNECT).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NatsServerInfo))]
[JsonSerializable(typeof(ConnectOptions))]
internal sealed partial class NatsJsonContext : JsonSerializerContext;

/// <summary>The CONNECT document (field names of nats-server's ClientOpts, protocols.md §1.3).</summary>
internal sealed record ConnectOptions
{
    [JsonPropertyName("verbose")] public bool Verbose { get; init; }
    [JsonPropertyName("pedantic")] public bool Pedantic { get; init; }
    [JsonPropertyName("tls_required")] public bool TlsRequired { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("lang")] public string Lang { get; init; } = ".NET";
    [JsonPropertyName("version")] public string Version { get; init; } = "1.0.0";
    [JsonPropertyName("protocol")] public int Protocol { get; init; } = 1;
    [JsonPropertyName("echo")] public bool Echo { get; init; }
    [JsonPropertyName("headers")] public bool Headers { get; init; }
    [JsonPropertyName("no_responders")] public bool NoResponders { get; init; }
    [JsonPropertyName("user")] public string? User { get; init; }
    [JsonPropertyName("pass")] public string? Password { get; init; }
    [JsonPropertyName("auth_token")] public string? AuthToken { get; init; }
}
