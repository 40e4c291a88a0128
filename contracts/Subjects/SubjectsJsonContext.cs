using System.Text.Json.Serialization;

namespace Platform.Contracts.Subjects;

/// <summary>Source-generated System.Text.Json metadata for every payload of the catalog (snake_case on the wire).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CommandEnvelope))]
[JsonSerializable(typeof(CmdVelData))]
[JsonSerializable(typeof(StepData))]
[JsonSerializable(typeof(SetData))]
[JsonSerializable(typeof(OperatorData))]
[JsonSerializable(typeof(CommandAck))]
[JsonSerializable(typeof(SafetyStateMessage))]
[JsonSerializable(typeof(SafetyEventMessage))]
[JsonSerializable(typeof(VideoGateMessage))]
[JsonSerializable(typeof(SimStateMessage))]
[JsonSerializable(typeof(SimSchemaMessage))]
[JsonSerializable(typeof(TelemetryRecord))]
[JsonSerializable(typeof(VideoControlRequest))]
[JsonSerializable(typeof(VideoControlReply))]
[JsonSerializable(typeof(SessionTerminateMessage))]
public sealed partial class SubjectsJsonContext : JsonSerializerContext;
