using System.Net.WebSockets;
using System.Text.Json;
using Platform.Contracts.Subjects;
using Platform.Contracts.Wire;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>/ws/signals (seed 001's protocol) with a test sim on a real nats-server: schema responder, state publisher, acks.</summary>
public sealed class SignalsTests(NatsFixture fixture) : IClassFixture<NatsFixture>
{
    private static readonly SimSchemaMessage Schema = new(
        ["robot", "world"],
        [
            new SignalDescriptor("robot.x", "robot", "m", false),
            new SignalDescriptor("robot.y", "robot", "m", false),
            new SignalDescriptor("world.gravity", "world", "m/s2", true),
        ],
        PhysicsHz: 240, TelemetryHz: 60);

    /// <summary>Answers telemetry.sim.schema and acks every command on telemetry.command.ack (rejecting set of unknown signals).</summary>
    private async Task<IAsyncDisposable> StartSimAsync()
    {
        var stop = new CancellationTokenSource();
        var schemaSub = await fixture.Nats.SubscribeCoreAsync<byte[]>(SubjectNames.SimSchema);
        var commandSub = await fixture.Nats.SubscribeCoreAsync<byte[]>(SubjectNames.AllCommands);
        await fixture.Nats.PingAsync();
        var loops = Task.WhenAll(
            Task.Run(async () =>
            {
                await foreach (var msg in schemaSub.Msgs.ReadAllAsync(stop.Token))
                    await msg.ReplyAsync(JsonSerializer.SerializeToUtf8Bytes(Schema, SubjectsJsonContext.Default.SimSchemaMessage));
            }),
            Task.Run(async () =>
            {
                await foreach (var msg in commandSub.Msgs.ReadAllAsync(stop.Token))
                {
                    var c = JsonSerializer.Deserialize(msg.Data, SubjectsJsonContext.Default.CommandEnvelope)!;
                    var ack = c.Action == CommandActions.Set && c.Data!.Value.GetProperty("signal").GetString() != "world.gravity"
                        ? new CommandAck(c.Action, c.CmdSeq, AckStatus.Rejected, "unknown signal")
                        : new CommandAck(c.Action, c.CmdSeq, AckStatus.Ok);
                    await fixture.Nats.PublishAsync(SubjectNames.CommandAck, JsonSerializer.SerializeToUtf8Bytes(ack, SubjectsJsonContext.Default.CommandAck));
                }
            }));
        return new Stopper(async () =>
        {
            await stop.CancelAsync();
            await loops.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await schemaSub.DisposeAsync();
            await commandSub.DisposeAsync();
            stop.Dispose();
        });
    }

    private sealed class Stopper(Func<Task> stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await stop();
    }

    private static IReadOnlyList<JsonElement> Json(WsClient client)
        => [.. client.Messages.Where(m => m.Type == WebSocketMessageType.Text).Select(m => m.Json(skip: 0))];

    private static async Task<JsonElement> ExpectAsync(WsClient client, string type, Func<JsonElement, bool>? match = null)
    {
        JsonElement found = default;
        await Eventually.WaitAsync(() =>
        {
            foreach (var j in Json(client))
            {
                if (j.GetProperty("type").GetString() == type && (match?.Invoke(j) ?? true))
                {
                    found = j;
                    return true;
                }
            }
            return false;
        }, $"a '{type}' message");
        return found;
    }

    private static List<HertFrame> Frames(WsClient client)
        => [.. client.Messages.Where(m => m.Type == WebSocketMessageType.Binary).Select(m => HertFrame.TryRead(m.Data, out var f, out var e) ? f : throw new InvalidOperationException(e))];

    [Fact]
    public async Task Schema_on_connect_subscribe_with_patterns_and_hert_frames_at_the_requested_rate()
    {
        await using var sim = await StartSimAsync();
        await using var server = await TransportServer.StartAsync(fixture.Server.Url);
        await using var client = await WsClient.ConnectAsync(server.SignalsUrl("client=tool"));

        var schema = await ExpectAsync(client, "schema");
        Assert.Equal(["robot", "world"], schema.GetProperty("modules").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(3, schema.GetProperty("signals").GetArrayLength());

        await client.SendTextAsync("{\"action\":\"subscribe\",\"params\":{\"signals\":[\"world.gravity\",\"robot.*\",\"robot.x\"],\"rate_hz\":20}}");
        var ack = await ExpectAsync(client, "ack", j => j.GetProperty("action").GetString() == "subscribe");
        Assert.Equal(3, ack.GetProperty("count").GetInt32());
        Assert.Equal(["world.gravity", "robot.x", "robot.y"], ack.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));

        // The sim publishes at 60 Hz for 2 s; the client asked for 20 Hz.
        var names = Schema.Signals.Select(s => s.Name).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var frame = 1; frame <= 120; frame++)
        {
            var due = TimeSpan.FromSeconds(frame / 60.0) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var state = new SimStateMessage(frame, frame / 60.0, SafetyMode.Armed, false, names, [frame, -frame, 9.81]);
            await fixture.Nats.PublishAsync(SubjectNames.SimState, JsonSerializer.SerializeToUtf8Bytes(state, SubjectsJsonContext.Default.SimStateMessage));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await fixture.Nats.PingAsync();
        await Eventually.WaitAsync(() => Frames(client).Any(f => f.Frame >= 115), "frames up to the end");

        var frames = Frames(client);
        var rate = frames.Count / seconds;
        Assert.InRange(rate, 14, 26); // 20 Hz, decimated from 60 Hz on wall time
        Assert.All(frames, f =>
        {
            Assert.Equal([9.81, f.Frame, -(double)f.Frame], f.Values);
            Assert.Equal(f.Frame / 60.0, f.Time, 9);
        });
        Assert.Equal(frames.Select(f => f.Frame).Order(), frames.Select(f => f.Frame));

        await client.SendTextAsync("{\"action\":\"subscribe\",\"params\":{\"signals\":[\"nope.*\"]}}");
        var error = await ExpectAsync(client, "error", j => j.GetProperty("message").GetString()!.Contains("nope"));
        Assert.Equal("subscribe", error.GetProperty("action").GetString());
    }

    [Fact]
    public async Task Commands_are_published_with_the_clients_identity_and_answered_from_the_sims_acks()
    {
        await using var sim = await StartSimAsync();
        await using var server = await TransportServer.StartAsync(fixture.Server.Url);
        await using var probe = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.AllCommands);
        await using var client = await WsClient.ConnectAsync(server.SignalsUrl("client=script"));
        await using var watcher = await WsClient.ConnectAsync(server.SignalsUrl());
        await ExpectAsync(client, "schema");

        await client.SendTextAsync("{\"action\":\"pause\"}");
        var pause = await ExpectAsync(client, "ack", j => j.GetProperty("action").GetString() == "pause");
        await ExpectAsync(watcher, "event", j => j.GetProperty("event").GetString() == "paused");
        await client.SendTextAsync("{\"action\":\"step\",\"params\":{\"count\":5}}");
        var step = await ExpectAsync(client, "ack", j => j.GetProperty("action").GetString() == "step");
        Assert.Equal(5, step.GetProperty("count").GetInt32());
        await client.SendTextAsync("{\"action\":\"set\",\"params\":{\"signal\":\"robot.x\",\"value\":2}}");
        var rejected = await ExpectAsync(client, "error", j => j.GetProperty("action").GetString() == "set");
        Assert.Contains("unknown signal", rejected.GetProperty("message").GetString());
        await client.SendTextAsync("{\"action\":\"resume\"}");
        await ExpectAsync(watcher, "event", j => j.GetProperty("event").GetString() == "running");

        var envelopes = probe.Messages.Select(m => JsonSerializer.Deserialize(m.Data, SubjectsJsonContext.Default.CommandEnvelope)!).ToList();
        Assert.Equal(["pause", "step", "set", "resume"], envelopes.Select(e => e.Action));
        Assert.All(envelopes, e => Assert.Matches("^ws-[0-9a-f]{8}-script$", e.Source));
        Assert.Equal(pause.GetProperty("cmd_seq").GetInt64(), envelopes[0].CmdSeq);
        Assert.Equal(5, envelopes[1].Data!.Value.GetProperty("count").GetInt32());

        await client.SendTextAsync("{\"action\":\"fly\"}");
        await ExpectAsync(client, "error", j => j.GetProperty("message").GetString()!.StartsWith("Unknown action: fly", StringComparison.Ordinal));
        await client.SendTextAsync("{oops");
        await ExpectAsync(client, "error", j => j.GetProperty("message").GetString()!.StartsWith("not JSON", StringComparison.Ordinal));
        Assert.Equal(4, probe.Messages.Count);
    }

    [Fact]
    public async Task Without_a_sim_the_client_is_told_and_gets_the_schema_once_the_sim_answers()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, o =>
        {
            o.SchemaRefreshInterval = TimeSpan.FromMilliseconds(200);
            o.SchemaRequestTimeout = TimeSpan.FromMilliseconds(200);
            o.CommandAckTimeout = TimeSpan.FromMilliseconds(300);
        });
        await using var client = await WsClient.ConnectAsync(server.SignalsUrl());
        await ExpectAsync(client, "error", j => j.GetProperty("message").GetString()!.Contains("no schema yet"));
        await client.SendTextAsync("{\"action\":\"pause\"}");
        await ExpectAsync(client, "error", j => j.GetProperty("message").GetString()!.Contains("no ack from the sim"));

        await using var sim = await StartSimAsync();
        await ExpectAsync(client, "schema");
    }
}
