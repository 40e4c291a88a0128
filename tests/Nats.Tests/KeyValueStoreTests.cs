using Platform.Nats.JetStream;
using Platform.Nats.KeyValueStore;

namespace Platform.Nats.Tests;

public sealed class KeyValueStoreTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private NatsConnection Connect() => fixture.Connect(o => o with { SerializerRegistry = new NatsJsonContextSerializerRegistry(TestJsonContext.Default) });

    [Fact]
    public async Task Put_then_get_returns_the_value_with_growing_revisions()
    {
        await using var nats = Connect();
        var kv = new NatsKVContext(new NatsJSContext(nats));
        var store = await kv.CreateStoreAsync(new NatsKVConfig("safety") { History = 5 });

        var r1 = await store.PutAsync("latched", new SafetyState("s1", "HOLD", "boot", 0));
        var r2 = await store.PutAsync("latched", new SafetyState("s2", "ESTOP", "operator", 1500));
        Assert.True(r2 > r1);

        var entry = await store.GetEntryAsync<SafetyState>("latched");
        Assert.Equal(r2, entry.Revision);
        Assert.Equal(new SafetyState("s2", "ESTOP", "operator", 1500), entry.Value);
        Assert.Equal("latched", entry.Key);
        Assert.Equal("safety", entry.Bucket);
        Assert.True(entry.Created > DateTimeOffset.UtcNow.AddMinutes(-1));

        // Reopening from another connection sees the same data.
        await using var other = Connect();
        var reopened = await new NatsKVContext(new NatsJSContext(other)).GetStoreAsync("safety");
        Assert.Equal("ESTOP", (await reopened.GetEntryAsync<SafetyState>("latched")).Value!.Mode);
        // Creating again opens the existing bucket.
        var again = await kv.CreateStoreAsync("safety");
        Assert.Equal(r2, (await again.GetEntryAsync<SafetyState>("latched")).Revision);
    }

    [Fact]
    public async Task Missing_and_deleted_keys_raise_key_not_found()
    {
        await using var nats = Connect();
        var store = await new NatsKVContext(new NatsJSContext(nats)).CreateStoreAsync("deletes");
        var missing = await Assert.ThrowsAsync<NatsKVKeyNotFoundException>(async () => await store.GetEntryAsync<string>("never"));
        Assert.Contains("never", missing.Message);

        await store.PutAsync("k", "v");
        Assert.Equal("v", (await store.GetEntryAsync<string>("k")).Value);
        await store.DeleteAsync("k");
        await Assert.ThrowsAsync<NatsKVKeyNotFoundException>(async () => await store.GetEntryAsync<string>("k"));
    }

    [Fact]
    public async Task Unknown_bucket_and_bad_keys_fail_clearly()
    {
        await using var nats = Connect();
        var kv = new NatsKVContext(new NatsJSContext(nats));
        var ex = await Assert.ThrowsAsync<NatsKVException>(async () => await kv.GetStoreAsync("no-such-bucket"));
        Assert.Contains("does not exist", ex.Message);
        await Assert.ThrowsAsync<ArgumentException>(async () => await kv.CreateStoreAsync("bad.name"));
        var store = await kv.CreateStoreAsync("keys");
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.PutAsync("has space", "x"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.PutAsync(".lead", "x"));
    }

    [Fact]
    public async Task Watch_reports_current_values_then_updates_and_deletes()
    {
        await using var nats = Connect();
        var store = await new NatsKVContext(new NatsJSContext(nats)).CreateStoreAsync("watched");
        await store.PutAsync("a", "a1");
        await store.PutAsync("b", "b1");
        await store.PutAsync("a", "a2");

        using var cts = new CancellationTokenSource(Deadline);
        var seen = new List<NatsKVEntry<string>>();
        await using var watch = store.WatchAsync<string>(cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);

        async Task<NatsKVEntry<string>> Next()
        {
            Assert.True(await watch.MoveNextAsync());
            seen.Add(watch.Current);
            return watch.Current;
        }

        var first = await Next();
        var second = await Next();
        Assert.Equal(["b:b1", "a:a2"], new[] { first, second }.Select(e => $"{e.Key}:{e.Value}"));
        Assert.Equal(0UL, second.Delta);

        var rev = await store.PutAsync("b", "b2");
        var update = await Next();
        Assert.Equal(("b", "b2", rev), (update.Key, update.Value, update.Revision));

        await store.DeleteAsync("a");
        var delete = await Next();
        Assert.Equal(("a", NatsKVOperation.Del), (delete.Key, delete.Operation));
        Assert.Null(delete.Value);
    }

    [Fact]
    public async Task Watch_of_one_key_with_updates_only_skips_history_and_other_keys()
    {
        await using var nats = Connect();
        var store = await new NatsKVContext(new NatsJSContext(nats)).CreateStoreAsync("watch-one");
        await store.PutAsync("state", new SafetyState("old", "HOLD", "", 0));
        using var cts = new CancellationTokenSource(Deadline);
        await using var watch = store.WatchAsync<SafetyState>("state", opts: new NatsKVWatchOpts { UpdatesOnly = true }, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();
        await Task.WhenAny(next, Task.Delay(300));
        Assert.False(next.IsCompleted, "updates-only must not replay the current value");
        await store.PutAsync("other", new SafetyState("x", "ARMED", "", 0));
        await store.PutAsync("state", new SafetyState("new", "ARMED", "clear", 9));
        Assert.True(await next.WaitAsync(Deadline));
        Assert.Equal("new", watch.Current.Value!.StateId);
    }
}
