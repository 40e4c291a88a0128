using System.Text.Json;

namespace Platform.TelemetryTailer.Streaming;

/// <summary>
/// The client → server messages of <c>/ws/telemetry</c>: subscribe {sessionId?, lastN?, filters?}, unsubscribe
/// {sessionId?}, heartbeat, snapshot {sessionId?} and sessions. Anything else gets an error reply; nothing a client
/// sends ends its connection.
/// </summary>
public sealed class TelemetryCommands(TelemetryHub hub)
{
    private const string Types = "subscribe, unsubscribe, heartbeat, snapshot or sessions";

    public void Handle(TelemetryClient client, ReadOnlySpan<byte> message)
    {
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(message);
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            Reply(client, WireMessages.Error("Invalid message format: not JSON"));
            return;
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            Reply(client, WireMessages.Error($"Invalid message format: expected {{\"type\": ...}} with type {Types}"));
            return;
        }
        if (!TryGetSessionId(root, out var sessionId, out var error))
        {
            Reply(client, WireMessages.Error(error!));
            return;
        }
        switch (typeElement.GetString())
        {
            case "subscribe":
                Subscribe(client, root, sessionId);
                break;
            case "unsubscribe":
                Reply(client, WireMessages.Unsubscribed(sessionId, hub.Unsubscribe(client, sessionId)));
                break;
            case "heartbeat":
                Reply(client, WireMessages.Heartbeat());
                break;
            case "snapshot":
                Reply(client, WireMessages.Snapshot(hub.Snapshot(sessionId)));
                break;
            case "sessions":
                Reply(client, WireMessages.Sessions(hub.Sessions()));
                break;
            default:
                Reply(client, WireMessages.Error($"Unknown message type '{typeElement.GetString()}': expected {Types}"));
                break;
        }
    }

    private void Subscribe(TelemetryClient client, JsonElement root, string? sessionId)
    {
        var lastN = 0;
        if (root.TryGetProperty("lastN", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            if (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out lastN) || lastN < 0)
            {
                Reply(client, WireMessages.Error("lastN must be a non-negative integer"));
                return;
            }
        }
        List<ThresholdRule>? filter = null;
        if (root.TryGetProperty("filters", out var filters) && filters.ValueKind != JsonValueKind.Null)
        {
            if (filters.ValueKind != JsonValueKind.Array)
            {
                Reply(client, WireMessages.Error("filters must be an array of {field, op, value}"));
                return;
            }
            filter = [];
            foreach (var item in filters.EnumerateArray())
            {
                if (!ThresholdRule.TryParse(item, out var rule, out var error))
                {
                    Reply(client, WireMessages.Error(error!));
                    return;
                }
                filter.Add(rule!);
            }
            if (filter.Count == 0) filter = null;
        }
        hub.Subscribe(client, sessionId, lastN, filter);
    }

    private static bool TryGetSessionId(JsonElement root, out string? sessionId, out string? error)
    {
        sessionId = null;
        error = null;
        if (!root.TryGetProperty("sessionId", out var value) || value.ValueKind == JsonValueKind.Null) return true;
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } id)
        {
            sessionId = id;
            return true;
        }
        error = "sessionId must be a non-empty string (or omitted for all sessions)";
        return false;
    }

    private static void Reply(TelemetryClient client, byte[] message) => client.Offer(new MessageOutgoing(message));
}
