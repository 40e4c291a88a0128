using System.Text.Json.Serialization;

namespace Platform.Nats.JetStream.Internal;

/// <summary>The JetStream API documents this client uses (field names as in the server's JSON schemas).</summary>
internal class JSApiResponse
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("error")] public JSApiError? Error { get; init; }
}

internal sealed record JSApiError
{
    [JsonPropertyName("code")] public int Code { get; init; }
    [JsonPropertyName("err_code")] public int ErrCode { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
}

internal sealed record StreamConfig
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("subjects")] public required string[] Subjects { get; init; }
    [JsonPropertyName("retention")] public string Retention { get; init; } = "limits";
    [JsonPropertyName("max_consumers")] public long MaxConsumers { get; init; } = -1;
    [JsonPropertyName("max_msgs")] public long MaxMsgs { get; init; } = -1;
    [JsonPropertyName("max_bytes")] public long MaxBytes { get; init; } = -1;
    [JsonPropertyName("max_age")] public long MaxAgeNanos { get; init; }
    [JsonPropertyName("max_msgs_per_subject")] public long MaxMsgsPerSubject { get; init; } = 1;
    [JsonPropertyName("max_msg_size")] public int MaxMsgSize { get; init; } = -1;
    [JsonPropertyName("storage")] public string Storage { get; init; } = "file";
    [JsonPropertyName("discard")] public string Discard { get; init; } = "new";
    [JsonPropertyName("num_replicas")] public int NumReplicas { get; init; } = 1;
    [JsonPropertyName("duplicate_window")] public long DuplicateWindowNanos { get; init; } = 120_000_000_000;
    [JsonPropertyName("allow_rollup_hdrs")] public bool AllowRollup { get; init; } = true;
    [JsonPropertyName("deny_delete")] public bool DenyDelete { get; init; } = true;
    [JsonPropertyName("deny_purge")] public bool DenyPurge { get; init; }
    [JsonPropertyName("allow_direct")] public bool AllowDirect { get; init; } = true;
}

internal sealed class StreamInfoResponse : JSApiResponse
{
    [JsonPropertyName("config")] public StreamConfig? Config { get; init; }
}

internal sealed record StreamInfoRequest;

internal sealed class PubAckResponse : JSApiResponse
{
    [JsonPropertyName("stream")] public string? Stream { get; init; }
    [JsonPropertyName("seq")] public ulong Seq { get; init; }
}

internal sealed record ConsumerConfig
{
    [JsonPropertyName("deliver_subject")] public required string DeliverSubject { get; init; }
    [JsonPropertyName("deliver_policy")] public required string DeliverPolicy { get; init; }
    [JsonPropertyName("ack_policy")] public string AckPolicy { get; init; } = "none";
    [JsonPropertyName("filter_subject")] public required string FilterSubject { get; init; }
    [JsonPropertyName("replay_policy")] public string ReplayPolicy { get; init; } = "instant";
    [JsonPropertyName("mem_storage")] public bool MemoryStorage { get; init; } = true;
    [JsonPropertyName("num_replicas")] public int NumReplicas { get; init; } = 1;
    [JsonPropertyName("headers_only")] public bool HeadersOnly { get; init; }
}

internal sealed record ConsumerCreateRequest
{
    [JsonPropertyName("stream_name")] public required string StreamName { get; init; }
    [JsonPropertyName("config")] public required ConsumerConfig Config { get; init; }
}

internal sealed class ConsumerInfoResponse : JSApiResponse
{
    [JsonPropertyName("name")] public string? Name { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StreamConfig))]
[JsonSerializable(typeof(StreamInfoRequest))]
[JsonSerializable(typeof(StreamInfoResponse))]
[JsonSerializable(typeof(PubAckResponse))]
[JsonSerializable(typeof(ConsumerCreateRequest))]
[JsonSerializable(typeof(ConsumerInfoResponse))]
internal sealed partial class JSApiJsonContext : JsonSerializerContext;
