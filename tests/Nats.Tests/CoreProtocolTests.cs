using System.Text;
using Platform.TestSupport;

namespace Platform.Nats.Tests;

public sealed class CoreProtocolTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Connect_reports_open_state_and_server_info()
    {
        await using var nats = fixture.Connect();
        Assert.Equal(NatsConnectionState.Closed, nats.ConnectionState);
        await nats.ConnectAsync();
        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
        Assert.NotNull(nats.ServerInfo);
        Assert.True(nats.ServerInfo!.HeadersSupported);
        Assert.True(nats.ServerInfo.JetStreamAvailable);
        Assert.Equal(1024 * 1024, nats.ServerInfo.MaxPayload);
        Assert.True(await nats.PingAsync() > TimeSpan.Zero);
    }

    [Fact]
    public async Task Connect_to_a_closed_port_fails_with_a_clear_error()
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = $"nats://127.0.0.1:{FreePort.Next()}", ConnectTimeout = TimeSpan.FromSeconds(1) });
        var ex = await Assert.ThrowsAsync<NatsException>(async () => await nats.ConnectAsync());
        Assert.Contains("Could not connect to NATS", ex.Message);
        Assert.Equal(NatsConnectionState.Closed, nats.ConnectionState);
    }

    [Fact]
    public async Task Publish_and_subscribe_carry_bytes_and_strings()
    {
        await using var pub = fixture.Connect();
        await using var sub = fixture.Connect();
        await using var bytesSub = await sub.SubscribeCoreAsync<byte[]>("core.bytes");
        await using var textSub = await sub.SubscribeCoreAsync<string>("core.text");
        await sub.PingAsync();

        var payload = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        await pub.PublishAsync("core.bytes", payload);
        await pub.PublishAsync("core.bytes", Array.Empty<byte>());
        await pub.PublishAsync("core.text", "héllo wörld");

        var first = await bytesSub.Msgs.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal("core.bytes", first.Subject);
        Assert.Equal(payload, first.Data);
        Assert.Equal(payload.Length, first.Size);
        var empty = await bytesSub.Msgs.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Empty(empty.Data!);
        var text = await textSub.Msgs.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal("héllo wörld", text.Data);
    }

    [Fact]
    public async Task Headers_round_trip_with_repeated_names_and_case()
    {
        await using var nats = fixture.Connect();
        await using var sub = await nats.SubscribeCoreAsync<string>("core.headers");
        var headers = new NatsHeaders { ["Frame-Id"] = "42", ["Codec"] = "h264" };
        headers.Add("Multi", new Microsoft.Extensions.Primitives.StringValues(["a", "b"]));
        await nats.PublishAsync("core.headers", "body", headers);

        var msg = await sub.Msgs.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal("body", msg.Data);
        Assert.NotNull(msg.Headers);
        Assert.Equal("42", msg.Headers!["Frame-Id"]);
        Assert.Equal("h264", msg.Headers["codec"]);
        Assert.Equal("a,b", msg.Headers["Multi"].ToString());
        Assert.Equal(2, msg.Headers["Multi"].Count);
        Assert.Contains("Frame-Id", msg.Headers.Keys);
        Assert.Equal(0, msg.Headers.Code);
    }

    [Fact]
    public async Task Queue_group_delivers_each_message_to_one_member()
    {
        await using var pub = fixture.Connect();
        await using var a = fixture.Connect();
        await using var b = fixture.Connect();
        await using var subA = await a.SubscribeCoreAsync<int[]>("core.queue", queueGroup: "workers", serializer: new IntCounter());
        await using var subB = await b.SubscribeCoreAsync<int[]>("core.queue", queueGroup: "workers", serializer: new IntCounter());
        await a.PingAsync();
        await b.PingAsync();

        for (var i = 0; i < 200; i++) await pub.PublishAsync("core.queue", i.ToString());
        var countA = 0;
        var countB = 0;
        await Eventually.WaitAsync(() =>
        {
            while (subA.Msgs.TryRead(out _)) countA++;
            while (subB.Msgs.TryRead(out _)) countB++;
            return countA + countB >= 200;
        }, "200 queue messages");
        Assert.Equal(200, countA + countB);
        Assert.True(countA > 0 && countB > 0, $"both members got work ({countA}/{countB})");
    }

    [Fact]
    public async Task Wildcards_match_one_token_and_the_tail()
    {
        await using var nats = fixture.Connect();
        await using var star = await nats.SubscribeCoreAsync<string>("wild.*.live");
        await using var tail = await nats.SubscribeCoreAsync<string>("wild.>");
        await nats.PublishAsync("wild.cam1.live", "1");
        await nats.PublishAsync("wild.cam1.live.extra", "2");
        await nats.PublishAsync("wild.cam2.record", "3");
        await nats.PingAsync();

        var starMsg = await star.Msgs.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal("wild.cam1.live", starMsg.Subject);
        var tailSubjects = new List<string>();
        await Eventually.WaitAsync(() =>
        {
            while (tail.Msgs.TryRead(out var m)) tailSubjects.Add(m.Subject);
            return tailSubjects.Count >= 3;
        }, "three messages under wild.>");
        Assert.Equal(["wild.cam1.live", "wild.cam1.live.extra", "wild.cam2.record"], tailSubjects);
        Assert.False(star.Msgs.TryRead(out _), "'*' must not match two tokens or another last token");
    }

    [Fact]
    public async Task Max_msgs_auto_unsubscribes()
    {
        await using var nats = fixture.Connect();
        var sub = await nats.SubscribeCoreAsync<string>("core.max", opts: new NatsSubOpts { MaxMsgs = 3 });
        for (var i = 0; i < 10; i++) await nats.PublishAsync("core.max", i.ToString());
        var got = new List<string?>();
        await foreach (var m in sub.Msgs.ReadAllAsync().WithCancellation(new CancellationTokenSource(Deadline).Token)) got.Add(m.Data);
        Assert.Equal(["0", "1", "2"], got);
    }

    [Fact]
    public async Task Echo_off_suppresses_own_messages()
    {
        await using var nats = fixture.Connect(o => o with { Echo = false });
        await using var other = fixture.Connect();
        await using var mine = await nats.SubscribeCoreAsync<string>("core.echo");
        await using var theirs = await other.SubscribeCoreAsync<string>("core.echo");
        await other.PingAsync();
        await nats.PublishAsync("core.echo", "x");
        await theirs.Msgs.ReadAsync().AsTask().WaitAsync(Deadline);
        await nats.PingAsync();
        Assert.False(mine.Msgs.TryRead(out _));
    }

    [Fact]
    public async Task Request_reply_round_trips_with_headers()
    {
        await using var service = fixture.Connect();
        await using var client = fixture.Connect();
        var cts = new CancellationTokenSource(Deadline);
        var sub = await service.SubscribeCoreAsync<string>("svc.echo");
        var responder = Task.Run(async () =>
        {
            await foreach (var req in sub.Msgs.ReadAllAsync(cts.Token))
                await req.ReplyAsync($"echo:{req.Data}", new NatsHeaders { ["Seen"] = req.Headers?["X-Id"].ToString() ?? "" });
        });
        await service.PingAsync();

        for (var i = 0; i < 20; i++)
        {
            var reply = await client.RequestAsync<string, string>("svc.echo", $"m{i}", new NatsHeaders { ["X-Id"] = i.ToString() });
            Assert.Equal($"echo:m{i}", reply.Data);
            Assert.Equal(i.ToString(), reply.Headers!["Seen"]);
        }
        await sub.DisposeAsync();
        await responder.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Request_without_responders_fails_at_once()
    {
        await using var nats = fixture.Connect();
        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await nats.RequestAsync<string, string>("nobody.home", "hi"));
        Assert.Contains("nobody.home", ex.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "no-responders must not wait for the timeout");
    }

    [Fact]
    public async Task Request_to_a_silent_responder_times_out_clearly()
    {
        await using var nats = fixture.Connect();
        await using var silent = await nats.SubscribeCoreAsync<string>("svc.silent");
        var ex = await Assert.ThrowsAsync<NatsNoReplyException>(async () =>
            await nats.RequestAsync<string, string>("svc.silent", "hi", replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Contains("svc.silent", ex.Message);
        Assert.Contains("300 ms", ex.Message);
    }

    [Fact]
    public async Task Payload_over_max_payload_fails_before_sending_and_connection_stays_up()
    {
        await using var nats = fixture.Connect();
        await nats.ConnectAsync();
        var tooBig = new byte[nats.ServerInfo!.MaxPayload + 1];
        var ex = await Assert.ThrowsAsync<NatsPayloadTooLargeException>(async () => await nats.PublishAsync("core.big", tooBig));
        Assert.Contains("max_payload", ex.Message);

        await using var sub = await nats.SubscribeCoreAsync<byte[]>("core.big");
        var justFits = new byte[nats.ServerInfo.MaxPayload];
        await nats.PublishAsync("core.big", justFits);
        var msg = await sub.Msgs.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(justFits.Length, msg.Data!.Length);
        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a.*")]
    [InlineData("a.>")]
    [InlineData("a\r\nPUB x 1")]
    public async Task Invalid_publish_subjects_are_refused(string subject)
    {
        await using var nats = fixture.Connect();
        await Assert.ThrowsAsync<ArgumentException>(async () => await nats.PublishAsync(subject, "x"));
    }

    [Theory]
    [InlineData("a.>.b")]
    [InlineData("a.b*")]
    [InlineData("a.>x")]
    [InlineData("a b")]
    public async Task Invalid_subscribe_subjects_are_refused(string subject)
    {
        await using var nats = fixture.Connect();
        await Assert.ThrowsAsync<ArgumentException>(async () => await nats.SubscribeCoreAsync<string>(subject));
    }

    [Fact]
    public async Task Slow_consumer_drops_with_a_counter_and_never_blocks_the_socket()
    {
        await using var nats = fixture.Connect(o => o with { SubPendingChannelCapacity = 10 });
        long dropped = 0;
        nats.MessageDropped += (_, _) => { Interlocked.Increment(ref dropped); return ValueTask.CompletedTask; };
        await using var slow = await nats.SubscribeCoreAsync<string>("core.slow");
        await using var fast = await nats.SubscribeCoreAsync<string>("core.fast");
        for (var i = 0; i < 100; i++) await nats.PublishAsync("core.slow", i.ToString());
        await nats.PublishAsync("core.fast", "still flowing");
        var m = await fast.Msgs.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal("still flowing", m.Data);
        await Eventually.WaitAsync(() => Interlocked.Read(ref dropped) == 90, "90 drop events");
        Assert.Equal(10, slow.Msgs.Count);
        Assert.Equal("0", (await slow.Msgs.ReadAsync()).Data);
    }

    [Fact]
    public async Task SubscribeAsync_enumerates_until_cancelled()
    {
        await using var nats = fixture.Connect();
        using var cts = new CancellationTokenSource(Deadline);
        var got = new List<string?>();
        var reader = Task.Run(async () =>
        {
            await foreach (var m in nats.SubscribeAsync<string>("core.enum", cancellationToken: cts.Token))
            {
                got.Add(m.Data);
                if (got.Count == 3) break;
            }
        });
        await Eventually.WaitAsync(async () =>
        {
            await nats.PublishAsync("core.enum", "tick");
            return reader.IsCompleted;
        }, "three messages through SubscribeAsync");
        await reader;
        Assert.Equal(3, got.Count);
    }

    [Fact]
    public async Task User_and_password_from_the_url_authenticate()
    {
        await using var server = await NatsServer.StartAsync("--user", "alice", "--pass", "s3cret");
        await using (var good = new NatsConnection(NatsOpts.Default with { Url = $"nats://alice:s3cret@127.0.0.1:{server.Port}" }))
        {
            await good.ConnectAsync();
            Assert.Equal(NatsConnectionState.Open, good.ConnectionState);
        }
        await using var bad = new NatsConnection(NatsOpts.Default with { Url = $"nats://alice:wrong@127.0.0.1:{server.Port}" });
        var ex = await Assert.ThrowsAsync<NatsException>(async () => await bad.ConnectAsync());
        Assert.Contains("Authorization Violation", ex.Message);
    }

    [Fact]
    public async Task Token_from_the_url_authenticates()
    {
        await using var server = await NatsServer.StartAsync("--auth", "tok3n");
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = $"nats://tok3n@127.0.0.1:{server.Port}" });
        await nats.ConnectAsync();
        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
    }

    /// <summary>A custom deserializer: proves the serializer parameter is used.</summary>
    private sealed class IntCounter : INatsDeserialize<int[]>
    {
        public int[]? Deserialize(in System.Buffers.ReadOnlySequence<byte> buffer) => [int.Parse(Encoding.UTF8.GetString(buffer), System.Globalization.CultureInfo.InvariantCulture)];
    }
}
