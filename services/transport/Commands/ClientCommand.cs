using System.Text.Json;
using Platform.Contracts.Subjects;

namespace Platform.Transport.Commands;

/// <summary>A client's 0x04 command after validation.</summary>
public sealed record ClientCommand(string Action, long CmdSeq, JsonElement? Data, int? TtlMs);

/// <summary>Why a 0x04 message was refused: <see cref="Error"/> is the machine-readable code of the reply.</summary>
public sealed record CommandRejection(string Error, string Detail, string? Action = null, long? CmdSeq = null);

/// <summary>
/// Validates the JSON of a 0x04 message: <c>{action, cmd_seq, data?, ttl_ms?}</c> with a known action, an integer
/// cmd_seq ≥ 0, data an object (or absent/null), ttl_ms a positive integer (or absent). Never throws.
/// </summary>
public static class ClientCommandParser
{
    /// <summary>Actions a client may send on 0x04 (subscribe belongs to /ws/signals and 0x02).</summary>
    public static readonly IReadOnlySet<string> Actions = new HashSet<string>(StringComparer.Ordinal)
    {
        CommandActions.SetCmdVel, CommandActions.Pause, CommandActions.Resume, CommandActions.Reset, CommandActions.Step,
        CommandActions.Set, CommandActions.Estop, CommandActions.EstopClear,
    };

    private static readonly string ActionList = string.Join(", ", Actions.Order(StringComparer.Ordinal));

    public static bool TryParse(ReadOnlySpan<byte> json, out ClientCommand? command, out CommandRejection? rejection)
    {
        command = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 32 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            rejection = new CommandRejection("bad_json", $"the command is not JSON: {ex.Message}");
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                rejection = new CommandRejection("invalid_command", "a command is a JSON object {action, cmd_seq, data?, ttl_ms?}");
                return false;
            }
            string? action = root.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            long? seq = root.TryGetProperty("cmd_seq", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var v) ? v : null;
            if (action is null)
            {
                rejection = new CommandRejection("invalid_command", "missing 'action' (a string)", null, seq);
                return false;
            }
            if (!Actions.Contains(action))
            {
                rejection = new CommandRejection("unknown_action", $"unknown action '{action}': expected one of {ActionList}", action, seq);
                return false;
            }
            if (seq is not { } cmdSeq || cmdSeq < 0)
            {
                rejection = new CommandRejection("invalid_command", "'cmd_seq' must be an integer ≥ 0", action);
                return false;
            }
            JsonElement? data = null;
            if (root.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                if (d.ValueKind != JsonValueKind.Object)
                {
                    rejection = new CommandRejection("invalid_command", "'data' must be an object (or absent)", action, cmdSeq);
                    return false;
                }
                data = d.Clone();
            }
            int? ttl = null;
            if (root.TryGetProperty("ttl_ms", out var t) && t.ValueKind != JsonValueKind.Null)
            {
                if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out var ttlValue) || ttlValue <= 0)
                {
                    rejection = new CommandRejection("invalid_command", "'ttl_ms' must be a positive integer (or absent)", action, cmdSeq);
                    return false;
                }
                ttl = ttlValue;
            }
            command = new ClientCommand(action, cmdSeq, data, ttl);
            rejection = null;
            return true;
        }
    }
}
