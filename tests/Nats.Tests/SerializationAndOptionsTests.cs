using Platform.TestSupport;

namespace Platform.Nats.Tests;

public sealed class SerializationAndOptionsTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Json_records_travel_through_a_source_generated_context()
    {
        await using var nats = fixture.Connect(o => o with { SerializerRegistry = new NatsJsonContextSerializerRegistry(TestJsonContext.Default) });
        await using var sub = await nats.SubscribeCoreAsync<SafetyState>("json.state");
        await using var raw = await nats.SubscribeCoreAsync<string>("json.state");
        var state = new SafetyState("id-1", "ARMED", "operator", 1234);
        await nats.PublishAsync("json.state", state);

        Assert.Equal(state, (await sub.Msgs.ReadAsync().AsTask().WaitAsync(Deadline)).Data);
        Assert.Equal("""{"state_id":"id-1","mode":"ARMED","reason":"operator","since_ms":1234}""", (await raw.Msgs.ReadAsync().AsTask().WaitAsync(Deadline)).Data);
    }

    [Fact]
    public async Task Json_request_and_reply()
    {
        await using var nats = fixture.Connect(o => o with { SerializerRegistry = new NatsJsonContextSerializerRegistry(TestJsonContext.Default) });
        await using var sub = await nats.SubscribeCoreAsync<SafetyState>("json.rr");
        var responder = Task.Run(async () =>
        {
            var req = await sub.Msgs.ReadAsync();
            await req.ReplyAsync(req.Data! with { Mode = "HOLD" });
        });
        var reply = await nats.RequestAsync<SafetyState, SafetyState>("json.rr", new SafetyState("a", "ARMED", "", 0));
        Assert.Equal("HOLD", reply.Data!.Mode);
        await responder.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_type_without_a_serializer_fails_saying_how_to_add_one()
    {
        await using var nats = fixture.Connect();
        var ex = await Assert.ThrowsAsync<NatsException>(async () => await nats.PublishAsync("json.none", new SafetyState("a", "b", "c", 1)));
        Assert.Contains("NatsJsonContextSerializerRegistry", ex.Message);
        var missing = Assert.Throws<NatsException>(() => new NatsJsonContextSerializer<Uri>(TestJsonContext.Default));
        Assert.Contains("JsonSerializable", missing.Message);
    }

    [Fact]
    public async Task Subscription_timeouts_end_the_subscription()
    {
        await using var nats = fixture.Connect();
        var total = await nats.SubscribeCoreAsync<string>("opts.timeout", opts: new NatsSubOpts { Timeout = TimeSpan.FromMilliseconds(200) });
        var idle = await nats.SubscribeCoreAsync<string>("opts.idle", opts: new NatsSubOpts { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        await nats.PublishAsync("opts.idle", "keeps it alive");
        await total.Msgs.Completion.WaitAsync(Deadline);
        Assert.Equal("keeps it alive", (await idle.Msgs.ReadAsync().AsTask().WaitAsync(Deadline)).Data);
        await idle.Msgs.Completion.WaitAsync(Deadline);

        // Ended subscriptions were unsubscribed at the server too.
        await nats.PublishAsync("opts.timeout", "late");
        await nats.PingAsync();
        Assert.False(total.Msgs.TryRead(out _));
    }

    [Fact]
    public async Task Verbose_mode_acknowledgements_are_absorbed()
    {
        await using var nats = fixture.Connect(o => o with { Verbose = true });
        await using var sub = await nats.SubscribeCoreAsync<string>("opts.verbose");
        for (var i = 0; i < 5; i++) await nats.PublishAsync("opts.verbose", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < 5; i++) Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (await sub.Msgs.ReadAsync().AsTask().WaitAsync(Deadline)).Data);
        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
    }

    [Fact]
    public async Task Dispose_ends_subscriptions_normally_and_flushes_queued_publishes()
    {
        await using var receiver = fixture.Connect();
        await using var got = await receiver.SubscribeCoreAsync<byte[]>("opts.dispose", opts: new NatsSubOpts { ChannelCapacity = 10_000 });
        await receiver.PingAsync();
        var sender = fixture.Connect();
        var sub = await sender.SubscribeCoreAsync<string>("opts.dispose.own");
        for (var i = 0; i < 5000; i++) await sender.PublishAsync("opts.dispose", new byte[64]);
        await sender.DisposeAsync();
        await sub.Msgs.Completion.WaitAsync(Deadline); // no exception: a normal end
        Assert.Equal(NatsConnectionState.Closed, sender.ConnectionState);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await sender.ConnectAsync());
        var count = 0;
        await Eventually.WaitAsync(() => { while (got.Msgs.TryRead(out _)) count++; return count == 5000; }, "all 5000 publishes made before dispose arrive", Deadline);
    }
}
