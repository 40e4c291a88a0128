using System.Text.Json;

namespace Platform.Contracts.Subjects;

/// <summary>
/// <c>command.sim.&lt;action&gt;</c>: <c>{action, cmd_seq, data, ttl_ms?, source, issued_at}</c>.
/// <c>source</c> is the client identity the transport stamps; <c>issued_at</c> is Unix time in milliseconds.
/// </summary>
public sealed record CommandEnvelope(
    string Action,
    long CmdSeq,
    JsonElement? Data = null,
    int? TtlMs = null,
    string? Source = null,
    long? IssuedAt = null);

/// <summary><c>data</c> of set_cmd_vel: body-frame velocities (m/s, m/s, rad/s); <c>robot</c> defaults to the first robot.</summary>
public sealed record CmdVelData(double LinearX = 0, double LinearY = 0, double AngularZ = 0, string? Robot = null);

/// <summary><c>data</c> of step.</summary>
public sealed record StepData(int Count = 1);

/// <summary><c>data</c> of set.</summary>
public sealed record SetData(string? Signal = null, double? Value = null);

/// <summary><c>data</c> of estop and estop_clear.</summary>
public sealed record OperatorData(string? Reason = null, string? Operator = null);

/// <summary><c>telemetry.command.ack</c>: <c>{action, cmd_seq, status, reason?}</c>.</summary>
public sealed record CommandAck(string Action, long CmdSeq, AckStatus Status, string? Reason = null);
