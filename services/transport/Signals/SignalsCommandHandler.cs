using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Subjects;
using Platform.Transport.Commands;

namespace Platform.Transport.Signals;

/// <summary>
/// <c>/ws/signals</c> commands <c>{action, params}</c> (seed 001): subscribe {signals, rate_hz?} is served here;
/// pause, resume, reset {seed?}, step {count?} and set {signal, value} are published on <c>command.sim.&lt;action&gt;</c>
/// (source = the client's identity) and answered when the sim's ack arrives: ack, or error with the sim's reason.
/// pause/resume/reset also raise an event (paused/running/reset) to every client.
/// </summary>
public sealed partial class SignalsCommandHandler(
    SignalsHub hub,
    SchemaCache schema,
    CommandPublisher publisher,
    CommandSequence sequence,
    CommandAcks acks,
    IOptions<TransportOptions> options,
    ILogger<SignalsCommandHandler> logger)
{
    private const string Actions = "pause, resume, reset, step, set or subscribe";

    public async ValueTask HandleAsync(SignalsClient client, ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        if (type != WebSocketMessageType.Text)
        {
            client.Send(SignalsMessages.Error("binary messages are not accepted: send JSON text {\"action\": ..., \"params\": {...}}"));
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException ex)
        {
            client.Send(SignalsMessages.Error($"not JSON: {ex.Message}"));
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("action", out var a) || a.ValueKind != JsonValueKind.String)
            {
                client.Send(SignalsMessages.Error($"expected {{\"action\": ..., \"params\": {{...}}}} with action {Actions}"));
                return;
            }
            var action = a.GetString()!;
            var parameters = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            switch (action)
            {
                case CommandActions.Subscribe:
                    await SubscribeAsync(client, parameters, cancellationToken).ConfigureAwait(false);
                    break;
                case CommandActions.Pause or CommandActions.Resume:
                    Forward(client, action, null, null, cancellationToken);
                    break;
                case CommandActions.Reset:
                    if (TryGet(parameters, "seed", out var seed) && (seed.ValueKind != JsonValueKind.Number || !seed.TryGetInt32(out _)))
                    {
                        client.Send(SignalsMessages.Error("reset: seed must be an integer", action));
                        return;
                    }
                    Forward(client, action, TryGet(parameters, "seed", out seed) ? Data(w => w.WriteNumber("seed", seed.GetInt32())) : null, null, cancellationToken);
                    break;
                case CommandActions.Step:
                    var count = 1;
                    if (TryGet(parameters, "count", out var c) && (c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out count) || count < 1))
                    {
                        client.Send(SignalsMessages.Error("step: count must be an integer ≥ 1", action));
                        return;
                    }
                    Forward(client, action, Data(w => w.WriteNumber("count", count)), w => w.WriteNumber("count", count), cancellationToken);
                    break;
                case CommandActions.Set:
                    if (!TryGet(parameters, "signal", out var signal) || signal.ValueKind != JsonValueKind.String
                        || !TryGet(parameters, "value", out var value) || value.ValueKind != JsonValueKind.Number)
                    {
                        client.Send(SignalsMessages.Error("set needs params {signal: name, value: number}", action));
                        return;
                    }
                    var name = signal.GetString()!;
                    var number = value.GetDouble();
                    Forward(client, action, Data(w => { w.WriteString("signal", name); w.WriteNumber("value", number); }),
                        w => { w.WriteString("signal", name); w.WriteNumber("value", number); }, cancellationToken);
                    break;
                default:
                    client.Send(SignalsMessages.Error($"Unknown action: {action} (expected {Actions})", action));
                    break;
            }
        }
    }

    private async Task SubscribeAsync(SignalsClient client, JsonElement parameters, CancellationToken cancellationToken)
    {
        if (!TryGet(parameters, "signals", out var list) || list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            client.Send(SignalsMessages.Error("subscribe needs params {signals: [patterns]} (\"*\", \"module.*\" or a signal name)", CommandActions.Subscribe));
            return;
        }
        var rate = options.Value.DefaultSignalsRateHz;
        if (TryGet(parameters, "rate_hz", out var r) && (r.ValueKind != JsonValueKind.Number || !r.TryGetDouble(out rate) || !(rate > 0 && rate <= 1000)))
        {
            client.Send(SignalsMessages.Error("subscribe: rate_hz must be a number in (0, 1000]", CommandActions.Subscribe));
            return;
        }
        var current = await schema.GetAsync(cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            client.Send(SignalsMessages.Error("no schema yet: the sim does not answer telemetry.sim.schema (is sim-runner running?)", CommandActions.Subscribe));
            return;
        }
        var patterns = list.EnumerateArray().Select(e => e.GetString()!).ToList();
        if (!SignalPatterns.TryExpand(patterns, current.Schema, out var signals, out var error))
        {
            client.Send(SignalsMessages.Error(error!, CommandActions.Subscribe));
            return;
        }
        client.Subscribe(signals, rate);
        client.Send(SignalsMessages.Ack(CommandActions.Subscribe, null, w =>
        {
            w.WriteNumber("count", signals.Count);
            w.WriteStartArray("signals");
            foreach (var s in signals) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteNumber("rate_hz", rate);
        }));
    }

    /// <summary>Publishes without holding up the client's receive loop; the ack (or its absence) is answered later.</summary>
    private void Forward(SignalsClient client, string action, JsonElement? data, Action<Utf8JsonWriter>? ackExtra, CancellationToken cancellationToken)
    {
        var seq = sequence.Next();
        _ = ForwardAsync(client, action, seq, data, ackExtra, cancellationToken);
    }

    private async Task ForwardAsync(SignalsClient client, string action, long seq, JsonElement? data, Action<Utf8JsonWriter>? ackExtra, CancellationToken cancellationToken)
    {
        try
        {
            var timeout = options.Value.CommandAckTimeout;
            var ack = await acks.WaitAsync(action, seq, timeout,
                () => publisher.PublishAsync(action, seq, data, null, client.Id, null, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (ack is null)
            {
                client.Send(SignalsMessages.Error($"no ack from the sim within {timeout.TotalSeconds:0.#} s (is sim-runner running?)", action, seq));
                return;
            }
            if (ack.Status != AckStatus.Ok)
            {
                client.Send(SignalsMessages.Error($"{(ack.Status == AckStatus.Rejected ? "rejected" : "ignored")} by the sim: {ack.Reason}", action, seq));
                return;
            }
            client.Send(SignalsMessages.Ack(action, seq, ackExtra));
            var @event = action switch
            {
                CommandActions.Pause => "paused",
                CommandActions.Resume => "running",
                CommandActions.Reset => "reset",
                _ => null,
            };
            if (@event is not null) hub.Broadcast(SignalsMessages.Event(@event));
        }
        catch (OperationCanceledException)
        {
            // the client left
        }
        catch (Exception ex)
        {
            LogForwardFailed(ex, client.Id, action);
            client.Send(SignalsMessages.Error($"the command could not be published: {ex.Message}", action, seq));
        }
    }

    private static bool TryGet(JsonElement parameters, string name, out JsonElement value)
    {
        value = default;
        return parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private static JsonElement Data(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing {Action} from {ClientId} failed (is NATS reachable?)")]
    private partial void LogForwardFailed(Exception ex, string clientId, string action);
}
