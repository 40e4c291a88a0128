using Platform.TestSupport;

namespace Platform.Nats.Tests;

/// <summary>A server that dies and comes back (each test owns its server, since it restarts it).</summary>
public sealed class ReconnectTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private static NatsConnection Connect(NatsServer server, Func<NatsOpts, NatsOpts>? configure = null)
    {
        var opts = NatsOpts.Default with
        {
            Url = server.Url,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(300),
            ReconnectJitter = TimeSpan.FromMilliseconds(20),
        };
        return new NatsConnection(configure is null ? opts : configure(opts));
    }

    [Fact]
    public async Task Server_restart_mid_stream_resubscribes_and_loses_no_published_message()
    {
        await using var server = await NatsServer.StartAsync();
        await using var nats = Connect(server);
        var opened = 0;
        var disconnected = 0;
        nats.ConnectionOpened += (_, _) => { Interlocked.Increment(ref opened); return ValueTask.CompletedTask; };
        nats.ConnectionDisconnected += (_, _) => { Interlocked.Increment(ref disconnected); return ValueTask.CompletedTask; };
        await using var sub = await nats.SubscribeCoreAsync<string>("stream.seq", opts: new NatsSubOpts { ChannelCapacity = 100_000 });
        var received = new List<int>();
        void Drain()
        {
            while (sub.Msgs.TryRead(out var m)) received.Add(int.Parse(m.Data!, System.Globalization.CultureInfo.InvariantCulture));
        }

        // Phase 1: a live stream, fully delivered.
        var seq = 0;
        for (; seq < 100; seq++) await nats.PublishAsync("stream.seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Eventually.WaitAsync(() => { Drain(); return received.Count == 100; }, "first 100 messages", Deadline);

        // Phase 2: the server dies; the stream goes on while it is down and while it comes back.
        await server.StopAsync();
        await Eventually.WaitAsync(() => nats.ConnectionState != NatsConnectionState.Open, "the client notices the dead server", Deadline);
        var restart = Task.Run(async () =>
        {
            await Task.Delay(200); // keep publishing into the buffer for a while before the server returns
            await server.RestartAsync();
        });
        var failed = new List<int>();
        while (!restart.IsCompleted || nats.ConnectionState != NatsConnectionState.Open || seq < 400)
        {
            var value = seq++;
            try
            {
                await nats.PublishAsync("stream.seq", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (NatsException)
            {
                failed.Add(value);
            }
            if (seq % 50 == 0) await Task.Delay(5);
            Assert.True(seq < 1_000_000, "publishing loop ran away");
        }
        await restart;

        // Every message was either delivered or reported failed to its publisher: none vanished.
        await Eventually.WaitAsync(() => { Drain(); return received.Count + failed.Count >= seq; }, $"all {seq} messages accounted for", Deadline);
        Assert.Empty(failed);
        Assert.Equal(Enumerable.Range(0, seq), received);
        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
        await Eventually.WaitAsync(() => Volatile.Read(ref opened) == 2 && Volatile.Read(ref disconnected) == 1, "one disconnect and two opens reported");
    }

    [Fact]
    public async Task Publishing_while_down_fails_clearly_once_the_reconnect_buffer_is_full_and_keeps_what_it_accepted()
    {
        await using var server = await NatsServer.StartAsync();
        await using var nats = Connect(server, o => o with { ReconnectBufferSize = 16 * 1024 });
        await using var sub = await nats.SubscribeCoreAsync<byte[]>("buffer.full");
        await nats.PingAsync();
        await server.StopAsync();
        await Eventually.WaitAsync(() => nats.ConnectionState != NatsConnectionState.Open, "the client notices the dead server", Deadline);

        var accepted = 0;
        NatsReconnectBufferFullException? full = null;
        for (var i = 0; i < 100 && full is null; i++)
        {
            try
            {
                await nats.PublishAsync("buffer.full", new byte[1024]);
                accepted++;
            }
            catch (NatsReconnectBufferFullException ex)
            {
                full = ex;
            }
        }
        Assert.NotNull(full);
        Assert.Contains("ReconnectBufferSize", full!.Message);
        Assert.InRange(accepted, 10, 16);

        await server.RestartAsync();
        var got = 0;
        await Eventually.WaitAsync(() => { while (sub.Msgs.TryRead(out _)) got++; return got == accepted; }, $"{accepted} buffered messages delivered", Deadline);
        await nats.PingAsync();
        Assert.False(sub.Msgs.TryRead(out _));
    }

    [Fact]
    public async Task Requests_work_again_after_a_restart()
    {
        await using var server = await NatsServer.StartAsync();
        await using var service = Connect(server);
        await using var client = Connect(server);
        await using var sub = await service.SubscribeCoreAsync<string>("svc.after");
        using var cts = new CancellationTokenSource(Deadline);
        var responder = Task.Run(async () =>
        {
            await foreach (var m in sub.Msgs.ReadAllAsync(cts.Token)) await m.ReplyAsync("pong");
        });
        Assert.Equal("pong", (await client.RequestAsync<string, string>("svc.after", "ping")).Data);

        await server.RestartAsync();
        await Eventually.WaitAsync(() => service.ConnectionState == NatsConnectionState.Open && client.ConnectionState == NatsConnectionState.Open, "both reconnected", Deadline);
        await service.PingAsync();
        Assert.Equal("pong", (await client.RequestAsync<string, string>("svc.after", "ping")).Data);
        await cts.CancelAsync();
        await responder.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Giving_up_after_max_reconnect_retries_closes_and_fails_publishes()
    {
        await using var server = await NatsServer.StartAsync();
        await using var nats = Connect(server, o => o with { MaxReconnectRetry = 2, ConnectTimeout = TimeSpan.FromMilliseconds(300) });
        var failures = 0;
        nats.ReconnectFailed += (_, _) => { Interlocked.Increment(ref failures); return ValueTask.CompletedTask; };
        await using var sub = await nats.SubscribeCoreAsync<string>("give.up");
        await server.StopAsync();

        await Eventually.WaitAsync(() => nats.ConnectionState == NatsConnectionState.Closed, "connection closed after retries", Deadline);
        await Eventually.WaitAsync(() => Volatile.Read(ref failures) == 2, "two failed attempts reported");
        var ex = await Assert.ThrowsAsync<NatsException>(async () => await nats.PublishAsync("give.up", "x"));
        Assert.Contains("closed", ex.Message);
        await Assert.ThrowsAnyAsync<Exception>(async () => await sub.Msgs.Completion.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Retry_on_initial_connect_waits_for_a_late_server()
    {
        var port = FreePort.Next();
        await using var nats = new NatsConnection(NatsOpts.Default with
        {
            Url = $"nats://127.0.0.1:{port}",
            RetryOnInitialConnect = true,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(200),
        });
        var connect = nats.ConnectAsync().AsTask();
        await Eventually.WaitAsync(() => nats.ConnectionState == NatsConnectionState.Reconnecting, "retrying in the background");
        Assert.False(connect.IsCompleted);
        await using var server = await NatsServer.StartOnPortAsync(port);
        await connect.WaitAsync(Deadline);
        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
    }
}
