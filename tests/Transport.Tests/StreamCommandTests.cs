using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using NATS.Client.Core;
using Platform.Contracts.Subjects;
using Platform.Contracts.Wire;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>0x04 commands and malformed input on /stream/ws, against a real nats-server.</summary>
public sealed class StreamCommandTests(NatsFixture fixture) : IClassFixture<NatsFixture>, IDisposable
{
    private readonly ActivityListener _listener = ListenToTransport();

    /// <summary>What ServiceDefaults' tracer does in the service: listen to "Platform.Transport" and record.</summary>
    private static ActivityListener ListenToTransport()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TransportTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_command_from_the_ws_npm_client_is_published_with_its_identity_cmd_seq_and_traceparent()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        await using var probe = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.AllCommands);
        await using var peer = NodePeer.Start("transport-ws-client.mjs", server.StreamUrl("client=op%20one!&session=s1").ToString());
        await peer.WaitForLineAsync(l => l.Contains("\"open\""), TimeSpan.FromSeconds(10));
        var welcome = JsonDocument.Parse(await peer.WaitForLineAsync(l => l.Contains("transport.welcome"), TimeSpan.FromSeconds(10))).RootElement.GetProperty("message").GetProperty("data");
        var clientId = welcome.GetProperty("client_id").GetString()!;
        Assert.Matches("^ws-[0-9a-f]{8}-opone$", clientId);
        Assert.Equal("s1", welcome.GetProperty("session").GetString());

        await peer.WriteLineAsync("!cmd {\"action\":\"set_cmd_vel\",\"cmd_seq\":7,\"data\":{\"linear_x\":0.5},\"ttl_ms\":250}");

        await Eventually.WaitAsync(() => probe.Messages.Count == 1, "the command on command.sim.set_cmd_vel");
        var msg = probe.Messages[0];
        Assert.Equal("command.sim.set_cmd_vel", msg.Subject);
        var envelope = JsonSerializer.Deserialize(msg.Data, SubjectsJsonContext.Default.CommandEnvelope)!;
        Assert.Equal(CommandActions.SetCmdVel, envelope.Action);
        Assert.Equal(7, envelope.CmdSeq);
        Assert.Equal(clientId, envelope.Source);
        Assert.Equal(250, envelope.TtlMs);
        Assert.Equal(0.5, envelope.Data!.Value.GetProperty("linear_x").GetDouble());
        Assert.InRange(envelope.IssuedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // NATS.Net's publish span writes it; .NET 10 sets the W3C level-2 "random trace id" flag too (03 when sampled).
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$", msg.Headers!["traceparent"].ToString());

        // One command is one trace: the next command of the same connection starts another.
        await peer.WriteLineAsync("!cmd {\"action\":\"pause\",\"cmd_seq\":8}");
        await Eventually.WaitAsync(() => probe.Messages.Count == 2, "the second command");
        static string TraceId(NatsMsg<byte[]> m) => m.Headers!["traceparent"].ToString().Split('-')[1];
        Assert.NotEqual(TraceId(probe.Messages[0]), TraceId(probe.Messages[1]));
    }

    [Fact]
    public async Task Invalid_commands_get_an_error_each_and_nothing_reaches_nats()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url);
        await using var probe = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.AllCommands);
        await using var client = await WsClient.ConnectAsync(server.StreamUrl());
        string[] bad =
        [
            "{not json",
            "[1,2]",
            "{\"cmd_seq\":1}",
            "{\"action\":\"launch_missiles\",\"cmd_seq\":1}",
            "{\"action\":\"pause\"}",
            "{\"action\":\"pause\",\"cmd_seq\":\"1\"}",
            "{\"action\":\"pause\",\"cmd_seq\":-1}",
            "{\"action\":\"pause\",\"cmd_seq\":1,\"data\":[1]}",
            "{\"action\":\"pause\",\"cmd_seq\":1,\"ttl_ms\":0}",
            "{\"action\":\"subscribe\",\"cmd_seq\":1}",
        ];
        foreach (var json in bad) await client.SendAsync(StreamMessageType.Command, json);

        await Eventually.WaitAsync(() => client.Telemetry("transport.error").Count == bad.Length, "one error per invalid command");
        var errors = client.Telemetry("transport.error").Select(e => e.GetProperty("error").GetString()).ToList();
        Assert.Equal(["bad_json", "invalid_command", "invalid_command", "unknown_action", "invalid_command", "invalid_command", "invalid_command", "invalid_command", "invalid_command", "unknown_action"], errors);
        Assert.All(client.Telemetry("transport.error"), e => Assert.False(string.IsNullOrEmpty(e.GetProperty("detail").GetString())));
        // Every error reply came after its command was handled; a ping proves NATS saw anything published before.
        await fixture.Nats.PingAsync();
        Assert.Empty(probe.Messages);
        Assert.False(client.Closed);
    }

    [Fact]
    public async Task Unknown_type_byte_text_frames_and_signaling_get_errors_and_the_connection_stays()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        await using var peer = NodePeer.Start("transport-ws-client.mjs", server.StreamUrl().ToString());
        await peer.WaitForLineAsync(l => l.Contains("\"open\""), TimeSpan.FromSeconds(10));
        await peer.WriteLineAsync("!type 9 hello");
        var unknown = await peer.WaitForLineAsync(l => l.Contains("unknown_type"), TimeSpan.FromSeconds(10));
        Assert.Contains("0x09", unknown);
        await peer.WriteLineAsync("!type 3 {\"offer\":\"v=0\"}");
        await peer.WaitForLineAsync(l => l.Contains("signaling_disabled") && l.Contains("WebRTC signaling is not enabled"), TimeSpan.FromSeconds(10));

        // Still alive: a valid command goes through afterwards.
        await using var probe = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.AllCommands);
        await peer.WriteLineAsync("!cmd {\"action\":\"pause\",\"cmd_seq\":1}");
        await Eventually.WaitAsync(() => probe.Messages.Count == 1, "the pause after the bad messages");
        Assert.DoesNotContain("\"close\"", peer.StandardOutput);

        await using var dotnet = await WsClient.ConnectAsync(server.StreamUrl());
        await dotnet.SendTextAsync("{\"action\":\"pause\"}");
        await dotnet.WaitTelemetryAsync("transport.error", e => e.GetProperty("error").GetString() == "text_frame");
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_with_1009_and_a_reason()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url);
        await using var probe = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.AllCommands);
        await using var peer = NodePeer.Start("transport-ws-client.mjs", server.StreamUrl().ToString());
        await peer.WaitForLineAsync(l => l.Contains("\"open\""), TimeSpan.FromSeconds(10));
        await peer.WriteLineAsync("!big 70000");
        var close = JsonDocument.Parse(await peer.WaitForLineAsync(l => l.Contains("\"close\""), TimeSpan.FromSeconds(10))).RootElement;
        Assert.Equal(1009, close.GetProperty("code").GetInt32());
        Assert.Contains("65536", close.GetProperty("reason").GetString());
        await fixture.Nats.PingAsync();
        Assert.Empty(probe.Messages);
    }

    [Fact]
    public async Task A_binary_flood_closes_with_1008_and_a_reason()
    {
        await using var server = await TransportServer.StartAsync(fixture.Server.Url, TestOptions.WithoutVideoGate);
        await using var client = await WsClient.ConnectAsync(server.StreamUrl());
        var message = new byte[] { 0x09 };
        try
        {
            for (var i = 0; i < 5000 && !client.Closed; i++) await client.SendAsync(message);
        }
        catch (WebSocketException)
        {
            // the server closed while we were still sending
        }
        await client.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Contains("rate limit", client.CloseDescription);
    }

    [Fact]
    public async Task Motion_on_stale_video_is_gated_with_one_zero_the_events_and_one_estop()
    {
        // A hold after 1 s, not 300 ms: the first command must meet fresh video even on a loaded machine.
        await using var server = await StartWithQuickGateAsync(estopAfterMs: 2000, holdAfterMs: 1000);
        await using var commands = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.AllCommands);
        await using var events = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.SafetyEvent("transport"));
        await using var gate = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.VideoGate);
        await using var video = await VideoPublisher.StartAsync(fixture.Nats);
        await using var client = await WsClient.ConnectAsync(server.StreamUrl("client=driver"));
        await video.PublishAsync(100);
        var cmdSeq = 0;
        Task Drive() => client.SendAsync(StreamMessageType.Command, $"{{\"action\":\"set_cmd_vel\",\"cmd_seq\":{++cmdSeq},\"data\":{{\"linear_x\":1}}}}");

        await Eventually.WaitAsync(() => client.Stream(StreamMessageType.Video).Count > 0, "the frame relayed to the client: the transport has it");
        await Drive(); // fresh video: passes
        await Eventually.WaitAsync(() => commands.Messages.Count == 1, "the first set_cmd_vel through");
        await Task.Delay(1100); // the video goes stale (no frames for longer than HoldAfterMs)
        for (var i = 0; i < 5; i++) await Drive();
        await Eventually.WaitAsync(() => client.Telemetry("transport.error").Count == 5, "five video_gated replies");
        Assert.All(client.Telemetry("transport.error"), e => Assert.Equal("video_gated", e.GetProperty("error").GetString()));

        await Eventually.WaitAsync(() => events.Messages.Any(m => m.Data!.AsSpan().IndexOf("ESTOP"u8) >= 0), "the ESTOP escalation on the timer");
        await fixture.Nats.PingAsync();
        var published = commands.Messages.Select(m => JsonSerializer.Deserialize(m.Data, SubjectsJsonContext.Default.CommandEnvelope)!).ToList();
        var fromTransport = published.Where(c => c.Source == "transport").ToList();
        Assert.Equal([CommandActions.SetCmdVel, CommandActions.Estop], fromTransport.Select(c => c.Action));
        Assert.Equal(0, fromTransport[0].Data!.Value.GetProperty("linear_x").GetDouble());
        Assert.True(fromTransport[1].CmdSeq > fromTransport[0].CmdSeq);
        Assert.Single(published, c => c.Source != "transport"); // the gated ones never went out

        var eventModes = events.Messages.Select(m => JsonSerializer.Deserialize(m.Data, SubjectsJsonContext.Default.SafetyEventMessage)!).ToList();
        Assert.Equal([SafetyMode.Hold, SafetyMode.Estop], eventModes.Select(e => e.Mode));
        Assert.All(eventModes, e => Assert.Equal(SafetyEventKind.VideoGate, e.Kind));
        Assert.True(eventModes[0].StaleMs > 1000);

        // Frames resume: the gate lifts (gated false, ARMED event) and motion passes again.
        await video.PublishAsync(100);
        await Eventually.WaitAsync(() => gate.Messages.Any(m => m.Data!.AsSpan().IndexOf("\"gated\":false"u8) >= 0), "gated false on telemetry.safety.video_gate");
        await Eventually.WaitAsync(() => events.Messages.Count == 3, "the ARMED event");
        Assert.Equal(SafetyMode.Armed, JsonSerializer.Deserialize(events.Messages[2].Data, SubjectsJsonContext.Default.SafetyEventMessage)!.Mode);
        // Each try follows a fresh frame: on a loaded machine the one that lifted the gate may be stale again by now.
        await Eventually.WaitAsync(async () =>
        {
            if (commands.Messages.Count(m => m.Data!.AsSpan().IndexOf("ws-"u8) >= 0) >= 2) return true;
            await video.PublishAsync(100);
            await fixture.Nats.PingAsync(); // the frame is at the server before the command is sent
            await Drive();
            return false;
        }, "motion through again");
    }

    [Fact]
    public async Task An_authority_that_shows_the_gate_otherwise_hears_it_again_at_most_once_a_second()
    {
        await using var server = await StartWithQuickGateAsync(estopAfterMs: 60_000);
        await using var events = await NatsProbe.StartAsync(fixture.Nats, SubjectNames.SafetyEvent("transport"));
        await using var video = await VideoPublisher.StartAsync(fixture.Nats);
        await using var client = await WsClient.ConnectAsync(server.StreamUrl("client=driver"));
        var cmdSeq = 0;

        // No frame for longer than HoldAfterMs: a motion command raises HOLD.
        await Eventually.WaitAsync(async () =>
        {
            await client.SendAsync(StreamMessageType.Command, $"{{\"action\":\"set_cmd_vel\",\"cmd_seq\":{++cmdSeq},\"data\":{{\"linear_x\":1}}}}");
            return events.Messages.Count == 1;
        }, "the video gate's HOLD");
        var modes = () => events.Messages.Select(m => JsonSerializer.Deserialize(m.Data, SubjectsJsonContext.Default.SafetyEventMessage)!).ToList();

        // A restarted authority: no gates. The HOLD is said again, a second or more after the first.
        await PublishAuthorityStateAsync(1, []);
        await Eventually.WaitAsync(() => events.Messages.Count == 2, "the HOLD said again");
        var again = modes()[1];
        Assert.Equal((SafetyEventKind.VideoGate, SafetyMode.Hold), (again.Kind, again.Mode));
        Assert.Contains("disagreed", again.Reason);
        Assert.True(again.At - modes()[0].At >= 1000, $"said again {again.At - modes()[0].At} ms after the first");

        // Frames lift the gate; an authority that still shows it active hears ARMED again.
        await video.PublishAsync(100);
        await Eventually.WaitAsync(() => events.Messages.Count == 3, "the gate lifted");
        await PublishAuthorityStateAsync(2, [new SafetySourceStatus("transport", SafetyEventKind.VideoGate, SafetyMode.Hold, 400, 0, Active: true)]);
        await Eventually.WaitAsync(() => events.Messages.Count == 4, "ARMED said again");
        Assert.Equal(SafetyMode.Armed, modes()[3].Mode);
        Assert.Contains("disagreed", modes()[3].Reason);
    }

    /// <summary>A transport whose gate holds after <paramref name="holdAfterMs"/> without frames, checked every 20 ms.</summary>
    private Task<TransportServer> StartWithQuickGateAsync(int estopAfterMs, int holdAfterMs = 300) => TransportServer.StartAsync(fixture.Server.Url, o =>
    {
        o.VideoGate.HoldAfterMs = holdAfterMs;
        o.VideoGate.EstopAfterMs = estopAfterMs;
        o.VideoGate.EvaluateIntervalMs = 20;
    });

    private ValueTask PublishAuthorityStateAsync(long stateId, IReadOnlyList<SafetySourceStatus> sources)
        => fixture.Nats.PublishAsync(SubjectNames.SafetyState, JsonSerializer.SerializeToUtf8Bytes(
            new SafetyStateMessage(stateId, SafetyMode.Hold, "test authority", 0, sources), SubjectsJsonContext.Default.SafetyStateMessage));
}
