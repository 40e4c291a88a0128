using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using Platform.Contracts.Wire;
using Platform.Transport.Commands;
using Platform.Transport.Safety;
using Platform.Transport.Telemetry;
using Platform.Transport.Video;

namespace Platform.Transport.Streaming;

/// <summary>
/// What a <c>/stream/ws</c> client sends: 0x04 COMMAND (validated, gated by layer 2, published), 0x02
/// <c>{subscribe:[patterns]}</c> (replaces its telemetry filter) or <c>{keyframe:true}</c> (its decoder lost a frame: the
/// live profile has no periodic IDR, so it asks), 0x03 SIGNALING (not enabled yet). Anything else gets
/// a 0x02 transport.error and the connection stays; nothing reaches NATS that is not a valid command.
/// </summary>
public sealed partial class StreamMessageHandler(VideoGateService gate, CommandPublisher publisher, KeyframeRequester keyframes, ILogger<StreamMessageHandler> logger)
{
    public async ValueTask HandleAsync(StreamClient client, ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        if (type != WebSocketMessageType.Binary)
        {
            client.Reply(StreamMessages.Error("text_frame", "this protocol is binary: send binary messages whose first byte is the type (0x02, 0x03 or 0x04)"));
            return;
        }
        if (message.IsEmpty)
        {
            client.Reply(StreamMessages.Error("empty_message", "a message needs at least its type byte"));
            return;
        }
        var body = message[1..];
        switch ((StreamMessageType)message.Span[0])
        {
            case StreamMessageType.Command:
                await CommandAsync(client, body, cancellationToken).ConfigureAwait(false);
                break;
            case StreamMessageType.Telemetry:
                ClientRequest(client, body.Span);
                break;
            case StreamMessageType.Signaling:
                client.Reply(StreamMessages.Error("signaling_disabled", "WebRTC signaling is not enabled on this transport: stay on /stream/ws video (0x01)"));
                break;
            case StreamMessageType.Video:
                client.Reply(StreamMessages.Error("unexpected_type", "VIDEO (0x01) goes from the server to clients only"));
                break;
            default:
                client.Reply(StreamMessages.Error("unknown_type", $"unknown message type 0x{message.Span[0]:x2}: expected 0x02 (subscribe), 0x03 (signaling) or 0x04 (command)"));
                break;
        }
    }

    private async ValueTask CommandAsync(StreamClient client, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        if (!ClientCommandParser.TryParse(json.Span, out var command, out var rejection))
        {
            LogRejected(client.Id, rejection!.Error, rejection.Detail);
            client.Reply(StreamMessages.Error(rejection.Error, rejection.Detail, rejection.Action, rejection.CmdSeq));
            return;
        }
        var decision = gate.Gate.OnCommand(command!.Action);
        if (decision.Transition is { } transition) await gate.ApplyAsync(transition, cancellationToken).ConfigureAwait(false);
        if (!decision.Pass)
        {
            client.Reply(StreamMessages.Error("video_gated",
                $"motion command dropped: the newest frame of {gate.Gate.Stream} is {decision.StaleMs} ms old ({decision.Mode.ToWire()}); it passes again when video resumes",
                command.Action, command.CmdSeq));
            return;
        }
        try
        {
            await publisher.PublishAsync(command.Action, command.CmdSeq, command.Data, command.TtlMs, client.Id, client.Session, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(ex, client.Id, command.Action);
            client.Reply(StreamMessages.Error("publish_failed", $"the command could not be published: {ex.Message}", command.Action, command.CmdSeq));
        }
    }

    private void ClientRequest(StreamClient client, ReadOnlySpan<byte> json)
    {
        const string expected = "expected {\"subscribe\": [subject patterns]} or {\"keyframe\": true}";
        List<string?> patterns = [];
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("keyframe", out var keyframe))
            {
                if (keyframe.ValueKind != JsonValueKind.True)
                {
                    client.Reply(StreamMessages.Error("invalid_request", expected));
                    return;
                }
                client.Connection.Outbox.WaitForKeyframe();
                keyframes.Request(client.Stream);
                client.Reply(StreamMessages.KeyframeRequested(client.Stream));
                return;
            }
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("subscribe", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                client.Reply(StreamMessages.Error("invalid_subscribe", expected));
                return;
            }
            foreach (var item in list.EnumerateArray())
                patterns.Add(item.ValueKind == JsonValueKind.String ? item.GetString() : null);
        }
        catch (JsonException ex)
        {
            client.Reply(StreamMessages.Error("bad_json", $"the 0x02 message is not JSON: {ex.Message}"));
            return;
        }
        if (!SubjectFilter.TryCreate(patterns, out var filter, out var error))
        {
            client.Reply(StreamMessages.Error("invalid_subscribe", error!));
            return;
        }
        client.Filter = filter!;
        client.Reply(StreamMessages.Subscribed(filter!.Patterns));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a command from {ClientId}: {Error}: {Detail}")]
    private partial void LogRejected(string clientId, string error, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing {Action} from {ClientId} failed (is NATS reachable?)")]
    private partial void LogPublishFailed(Exception ex, string clientId, string action);
}
