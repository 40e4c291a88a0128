using System.Text.Json.Serialization;

namespace Platform.Nats;

/// <summary>The server's INFO line (only the fields a client acts on).</summary>
public sealed record NatsServerInfo
{
    [JsonPropertyName("server_id")] public string Id { get; init; } = "";
    [JsonPropertyName("server_name")] public string Name { get; init; } = "";
    [JsonPropertyName("version")] public string Version { get; init; } = "";
    [JsonPropertyName("proto")] public int ProtocolVersion { get; init; }
    [JsonPropertyName("host")] public string Host { get; init; } = "";
    [JsonPropertyName("port")] public int Port { get; init; }
    [JsonPropertyName("headers")] public bool HeadersSupported { get; init; }
    [JsonPropertyName("auth_required")] public bool AuthRequired { get; init; }
    [JsonPropertyName("tls_required")] public bool TlsRequired { get; init; }
    [JsonPropertyName("max_payload")] public long MaxPayload { get; init; } = 1024 * 1024;
    [JsonPropertyName("jetstream")] public bool JetStreamAvailable { get; init; }
    [JsonPropertyName("client_id")] public ulong ClientId { get; init; }
    [JsonPropertyName("client_ip")] public string ClientIp { get; init; } = "";
    [JsonPropertyName("connect_urls")] public string[]? ClientConnectUrls { get; init; }
    [JsonPropertyName("ldm")] public bool LameDuckMode { get; init; }
}
