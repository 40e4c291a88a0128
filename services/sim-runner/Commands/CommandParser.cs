using System.Text.Json;
using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Commands;

/// <summary>
/// Parses and validates <c>command.sim.&lt;action&gt;</c> payloads. Never throws on bad input: malformed JSON, unknown
/// actions and invalid data come back as a rejection ack with a reason.
/// </summary>
public sealed class CommandParser(int maxPayloadBytes = 64 * 1024, int maxStepCount = 10_000)
{
    public const string UnknownSource = "unknown";

    /// <param name="subjectAction">The action taken from the subject (<c>command.sim.&lt;action&gt;</c>), when known.</param>
    public CommandParseResult Parse(string? subjectAction, ReadOnlySpan<byte> payload)
    {
        var fallbackAction = subjectAction ?? "unknown";
        if (payload.Length > maxPayloadBytes)
            return CommandParseResult.Rejected(fallbackAction, 0, $"payload of {payload.Length} bytes exceeds the {maxPayloadBytes}-byte limit");

        CommandEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(payload, SubjectsJsonContext.Default.CommandEnvelope);
        }
        catch (JsonException ex)
        {
            return CommandParseResult.Rejected(fallbackAction, 0, $"malformed JSON: {ex.Message}");
        }
        if (envelope is null) return CommandParseResult.Rejected(fallbackAction, 0, "malformed JSON: the payload is null, expected an object");

        var seq = envelope.CmdSeq;
        var action = envelope.Action ?? subjectAction;
        if (string.IsNullOrEmpty(action)) return CommandParseResult.Rejected(fallbackAction, seq, "missing 'action'");
        if (subjectAction is not null && action != subjectAction)
            return CommandParseResult.Rejected(subjectAction, seq, $"action '{action}' does not match the subject's action '{subjectAction}'");
        if (seq < 0) return CommandParseResult.Rejected(action, seq, "cmd_seq must not be negative");
        if (envelope.TtlMs is <= 0) return CommandParseResult.Rejected(action, seq, "ttl_ms must be positive when given");
        var source = string.IsNullOrWhiteSpace(envelope.Source) ? UnknownSource : envelope.Source;

        try
        {
            return action switch
            {
                CommandActions.SetCmdVel => ParseCmdVel(envelope, source),
                CommandActions.Pause => CommandParseResult.Ok(new PauseCommand(seq, source)),
                CommandActions.Resume => CommandParseResult.Ok(new ResumeCommand(seq, source)),
                CommandActions.Reset => ParseReset(envelope, source),
                CommandActions.Step => ParseStep(envelope, source),
                CommandActions.Set => ParseSet(envelope, source),
                CommandActions.Estop => CommandParseResult.Ok(new EstopCommand(seq, source, Data(envelope, SubjectsJsonContext.Default.OperatorData)?.Reason ?? "operator")),
                CommandActions.EstopClear => CommandParseResult.Ok(new EstopClearCommand(seq, source, Data(envelope, SubjectsJsonContext.Default.OperatorData)?.Operator ?? source)),
                CommandActions.Subscribe => CommandParseResult.Ignored(action, seq, "subscribe is served by the transport's /ws/signals, not the sim"),
                _ => CommandParseResult.Rejected(action, seq, $"unknown action '{action}'"),
            };
        }
        catch (JsonException ex)
        {
            return CommandParseResult.Rejected(action, seq, $"invalid data for '{action}': {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            return CommandParseResult.Rejected(action, seq, $"invalid data for '{action}': {ex.Message}");
        }
    }

    private static CommandParseResult ParseCmdVel(CommandEnvelope e, string source)
    {
        if (e.Data is not { ValueKind: JsonValueKind.Object })
            return CommandParseResult.Rejected(e.Action, e.CmdSeq, "set_cmd_vel needs data {linear_x, linear_y, angular_z}");
        var d = Data(e, SubjectsJsonContext.Default.CmdVelData)!;
        if (!double.IsFinite(d.LinearX) || !double.IsFinite(d.LinearY) || !double.IsFinite(d.AngularZ))
            return CommandParseResult.Rejected(e.Action, e.CmdSeq, "set_cmd_vel velocities must be finite numbers");
        return CommandParseResult.Ok(new SetCmdVelCommand(e.CmdSeq, source, e.TtlMs, d.LinearX, d.LinearY, d.AngularZ, d.Robot));
    }

    private static CommandParseResult ParseReset(CommandEnvelope e, string source)
    {
        int? seed = null;
        if (e.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("seed", out var s))
        {
            if (!s.TryGetInt32(out var value)) return CommandParseResult.Rejected(e.Action, e.CmdSeq, "seed must be a 32-bit integer");
            seed = value;
        }
        return CommandParseResult.Ok(new ResetCommand(e.CmdSeq, source, seed));
    }

    private CommandParseResult ParseStep(CommandEnvelope e, string source)
    {
        var count = Data(e, SubjectsJsonContext.Default.StepData)?.Count ?? 1;
        if (count < 1 || count > maxStepCount)
            return CommandParseResult.Rejected(e.Action, e.CmdSeq, $"step count must be between 1 and {maxStepCount}");
        return CommandParseResult.Ok(new StepCommand(e.CmdSeq, source, count));
    }

    private static CommandParseResult ParseSet(CommandEnvelope e, string source)
    {
        var d = Data(e, SubjectsJsonContext.Default.SetData);
        if (string.IsNullOrWhiteSpace(d?.Signal)) return CommandParseResult.Rejected(e.Action, e.CmdSeq, "set needs data.signal");
        if (d.Value is not { } value || !double.IsFinite(value)) return CommandParseResult.Rejected(e.Action, e.CmdSeq, "set needs a finite data.value");
        return CommandParseResult.Ok(new SetSignalCommand(e.CmdSeq, source, d.Signal, value));
    }

    /// <summary>Reads <c>data</c> as <typeparamref name="T"/>; absent or null data gives null.</summary>
    private static T? Data<T>(CommandEnvelope e, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) where T : class
        => e.Data is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } data ? data.Deserialize(info) : null;
}
