using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Platform.TestSupport;

namespace Platform.TelemetryTailer.Tests;

/// <summary>/ws/telemetry over a real socket, driven by the `ws` npm client (a client nobody here wrote).</summary>
public sealed class TelemetryWebSocketTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string Record(int step, double phi) => $"{{\"step\":{step},\"telemetry\":{{\"phi\":{phi.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}}}";

    private static int[] Steps(JsonElement telemetry) => [.. telemetry.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("step").GetInt32())];

    [Fact]
    public async Task Subscribe_GetsHistoryThenLiveRecords_OverPermessageDeflate()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path);
        _folder.AppendLines("s1.jsonl", [.. Enumerable.Range(1, 5).Select(i => Record(i, 0.1 * i))]);
        await Eventually.WaitAsync(() => server.Session("s1")?.Records == 5, "5 records tailed");
        await using var ws = await WsPeer.ConnectAsync(server.WebSocketUrl);
        Assert.StartsWith("permessage-deflate", ws.Opened.GetProperty("extensions").GetString());

        await ws.SendAsync(new { type = "subscribe", sessionId = "s1", lastN = 3 });
        var subscribed = await ws.ExpectAsync("subscribed");
        Assert.Equal("s1", subscribed.GetProperty("sessionId").GetString());
        Assert.Equal("Subscribed to s1", subscribed.GetProperty("message").GetString());
        var history = await ws.ExpectAsync("telemetry");
        Assert.True(history.GetProperty("history").GetBoolean());
        Assert.Equal([3, 4, 5], Steps(history));

        _folder.Append("s1.jsonl", Record(6, 0.6)[..10]); // a line split across writes
        _folder.Append("s1.jsonl", Record(6, 0.6)[10..] + "\n" + Record(7, 0.7) + "\n");
        var live = new List<int>();
        while (live.Count < 2) live.AddRange(Steps(await ws.ExpectAsync("telemetry")));
        Assert.Equal([6, 7], live);
        Assert.Equal("s1", ws.Messages().Last(m => m.GetProperty("type").GetString() == "telemetry").GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task Filters_DeliverOnlyMatchingRecords_InHistoryAndLive()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path);
        _folder.AppendLines("f.jsonl", Record(1, 0.2), Record(2, 0.8), Record(3, 0.4));
        await Eventually.WaitAsync(() => server.Session("f")?.Records == 3, "3 records tailed");
        await using var ws = await WsPeer.ConnectAsync(server.WebSocketUrl);

        await ws.SendAsync(new
        {
            type = "subscribe",
            sessionId = "f",
            lastN = 10,
            filters = new object[] { new { field = "telemetry.phi", op = ">=", value = 0.5 } },
        });
        Assert.Equal(1, (await ws.ExpectAsync("subscribed")).GetProperty("filters").GetInt32());
        var history = await ws.ExpectAsync("telemetry");
        Assert.Equal([2], Steps(history));

        _folder.AppendLines("f.jsonl", Record(4, 0.1), Record(5, 0.9), Record(6, 0.3), Record(7, 0.5));
        var live = new List<int>();
        while (!live.Contains(7)) live.AddRange(Steps(await ws.ExpectAsync("telemetry")));
        Assert.Equal([5, 7], live);
    }

    [Fact]
    public async Task SeveralSessions_ThenUnsubscribe_StopsThatSessionOnly()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path);
        await using var ws = await WsPeer.ConnectAsync(server.WebSocketUrl);
        await ws.SendAsync(new { type = "subscribe", sessionId = "a" });
        await ws.ExpectAsync("subscribed");
        await ws.SendAsync(new { type = "subscribe", sessionId = "b" });
        await ws.ExpectAsync("subscribed");

        _folder.AppendLines("a.jsonl", Record(1, 0.1));
        _folder.AppendLines("b.jsonl", Record(1, 0.1));
        await ws.ExpectAsync("telemetry", m => m.GetProperty("sessionId").GetString() == "a");
        await ws.ExpectAsync("telemetry", m => m.GetProperty("sessionId").GetString() == "b");

        await ws.SendAsync(new { type = "unsubscribe", sessionId = "a" });
        Assert.Equal("Unsubscribed from a", (await ws.ExpectAsync("unsubscribed")).GetProperty("message").GetString());
        _folder.AppendLines("a.jsonl", Record(2, 0.2));
        await Eventually.WaitAsync(() => server.Session("a")?.Records == 2, "a's second record tailed");
        _folder.AppendLines("b.jsonl", Record(2, 0.2));
        await ws.ExpectAsync("telemetry", m => m.GetProperty("sessionId").GetString() == "b" && Steps(m).Contains(2));
        // A reply is queued behind anything queued before it: asking now proves nothing of a's is on its way.
        await ws.SendAsync(new { type = "sessions" });
        await ws.ExpectAsync("sessions");
        Assert.DoesNotContain(ws.Messages(), m => m.GetProperty("type").GetString() == "telemetry" && m.GetProperty("sessionId").GetString() == "a" && Steps(m).Contains(2));

        await ws.SendAsync(new { type = "unsubscribe" });
        Assert.Equal("Unsubscribed from all sessions", (await ws.ExpectAsync("unsubscribed")).GetProperty("message").GetString());
    }

    [Fact]
    public async Task SubscribeToAll_SeesNewSessions_AndSnapshotAndSessionsDescribeThem()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path);
        await using var ws = await WsPeer.ConnectAsync(server.WebSocketUrl);
        await ws.SendAsync(new { type = "subscribe" }); // seed 003: no sessionId = all sessions
        Assert.Equal(JsonValueKind.Null, (await ws.ExpectAsync("subscribed")).GetProperty("sessionId").ValueKind);

        _folder.AppendLines("x.jsonl", Record(1, 0.1), Record(2, 0.2));
        _folder.AppendLines("y.jsonl", Record(10, 0.5));
        await ws.ExpectAsync("session_started", m => m.GetProperty("sessionId").GetString() == "x");
        await Eventually.WaitAsync(() => server.Session("x")?.Records == 2 && server.Session("y")?.Records == 1, "x and y tailed");

        await ws.SendAsync(new { type = "snapshot" });
        var snapshot = (await ws.ExpectAsync("snapshot")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["x", "y"], snapshot.Select(s => s.GetProperty("sessionId").GetString()));
        Assert.Equal([2, 10], snapshot.Select(s => s.GetProperty("record").GetProperty("step").GetInt32()));

        await ws.SendAsync(new { type = "snapshot", sessionId = "y" });
        Assert.Single((await ws.ExpectAsync("snapshot")).GetProperty("data").EnumerateArray());

        await ws.SendAsync(new { type = "sessions" });
        var sessions = (await ws.ExpectAsync("sessions")).GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(["x", "y"], sessions.Select(s => s.GetProperty("sessionId").GetString()));
        Assert.Equal("x.jsonl", sessions[0].GetProperty("file").GetString());
        Assert.Equal(2, sessions[0].GetProperty("records").GetInt32());
        Assert.Equal(2, sessions[0].GetProperty("lastLine").GetInt32());

        File.Delete(_folder.File("x.jsonl"));
        Assert.Equal("file deleted", (await ws.ExpectAsync("session_ended", m => m.GetProperty("sessionId").GetString() == "x")).GetProperty("message").GetString());
    }

    [Fact]
    public async Task MalformedLinesAndEmergencies_ReachSubscribers()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path,
            o => o.EmergencyRules = [new ThresholdRuleOptions { Field = "telemetry.phi", Op = "<", Value = 0.5, Severity = "critical" }]);
        await using var ws = await WsPeer.ConnectAsync(server.WebSocketUrl);
        await ws.SendAsync(new { type = "subscribe", sessionId = "e" });
        await ws.ExpectAsync("subscribed");

        _folder.AppendLines("e.jsonl", Record(1, 0.7), "{not json", Record(3, 0.45));
        var error = await ws.ExpectAsync("error");
        Assert.Equal("e", error.GetProperty("sessionId").GetString());
        Assert.Equal("e.jsonl", error.GetProperty("file").GetString());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        var emergency = await ws.ExpectAsync("emergency");
        Assert.Equal(3, emergency.GetProperty("line").GetInt32());
        var data = emergency.GetProperty("data");
        Assert.Equal(3, data.GetProperty("step").GetInt32());
        Assert.Equal("critical", data.GetProperty("emergency").GetProperty("severity").GetString());
        Assert.Equal("phi", data.GetProperty("telemetry").EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task BadClientInput_GetsErrorReplies_AndTheConnectionStaysUp()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path, o => o.MaxClientMessageBytes = 1024);
        await using var ws = await WsPeer.ConnectAsync(server.WebSocketUrl);

        await ws.SendRawAsync("{this is not json");
        Assert.Contains("not JSON", (await ws.ExpectAsync("error")).GetProperty("message").GetString());
        await ws.SendAsync(new { type = "explode" });
        Assert.Contains("Unknown message type 'explode'", (await ws.ExpectAsync("error")).GetProperty("message").GetString());
        await ws.SendAsync(new { hello = 1 });
        Assert.Contains("expected {\"type\"", (await ws.ExpectAsync("error")).GetProperty("message").GetString());
        await ws.SendRawAsync("!big 5000");
        Assert.Contains("5000 bytes exceeds the limit of 1024", (await ws.ExpectAsync("error")).GetProperty("message").GetString());
        await ws.SendRawAsync("!binary");
        Assert.Contains("Binary", (await ws.ExpectAsync("error")).GetProperty("message").GetString());
        await ws.SendAsync(new { type = "subscribe", sessionId = 42 });
        Assert.Contains("sessionId", (await ws.ExpectAsync("error")).GetProperty("message").GetString());
        await ws.SendAsync(new { type = "subscribe", lastN = -1 });
        Assert.Contains("lastN", (await ws.ExpectAsync("error")).GetProperty("message").GetString());
        await ws.SendAsync(new { type = "subscribe", filters = new object[] { new { field = "phi", op = "~", value = 1 } } });
        Assert.Contains("op '~'", (await ws.ExpectAsync("error")).GetProperty("message").GetString());

        await ws.SendAsync(new { type = "heartbeat" });
        await ws.ExpectAsync("heartbeat");
        Assert.Equal(1, server.Hub.ClientCount);
    }

    [Fact]
    public async Task Server_PingsClients_AtTheKeepAliveInterval()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path, o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(200));
        await using var ws = await WsPeer.ConnectAsync(server.WebSocketUrl);
        await ws.ExpectEventAsync("ping");
        await ws.ExpectEventAsync("ping");
    }

    [Fact]
    public async Task SlowClient_IsDisconnectedWithAReason_WhileAFastClientGetsEverything()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path, o =>
        {
            o.ClientQueueCapacity = 16; // room for the fast client on a busy machine; the slow one still fills it
            o.SlowClientGrace = TimeSpan.FromMilliseconds(300);
            o.CloseTimeout = TimeSpan.FromMilliseconds(500);
        });
        using var slow = new ClientWebSocket();
        await slow.ConnectAsync(new Uri(server.WebSocketUrl), CancellationToken.None);
        await slow.SendAsync("{\"type\":\"subscribe\",\"sessionId\":\"flood\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await using var fast = await WsPeer.ConnectAsync(server.WebSocketUrl, countOnly: true);
        await fast.SendAsync(new { type = "subscribe", sessionId = "flood" });
        await fast.ExpectAsync("subscribed");
        await Eventually.WaitAsync(() => server.Hub.ClientCount == 2, "both clients attached");

        // The slow client never reads: once the socket buffers fill, its queue fills and it starts dropping.
        var line = $"{{\"pad\":\"{new string('z', 1000)}\",\"n\":1}}\n";
        var chunk = string.Concat(Enumerable.Repeat(line, 1000));
        var written = 0;
        await Eventually.WaitAsync(() =>
        {
            _folder.Append("flood.jsonl", chunk);
            written += 1000;
            return server.Hub.ClientCount == 1;
        }, "the slow client disconnected", TimeSpan.FromSeconds(30));

        await fast.ExpectEventAsync("count", e => e.GetProperty("total").GetInt32() == written, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(fast.Messages(), m => m.GetProperty("type").GetString() == "dropped");

        // What the slow client finally reads: what was buffered, then the close frame with the reason (or a reset).
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var result = await slow.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
                if (result.MessageType != WebSocketMessageType.Close) continue;
                Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
                Assert.StartsWith("slow consumer", result.CloseStatusDescription);
                break;
            }
        }
        catch (WebSocketException)
        {
            // the server aborted because its close frame could not get through the full socket in time
        }
    }

    public void Dispose() => _folder.Dispose();
}
