using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using Platform.Contracts.Subjects;
using Platform.SafetyAuthority.Hosting;
using Platform.SafetyAuthority.State;
using Platform.TestSupport;

namespace Platform.SafetyAuthority.Tests;

/// <summary>
/// The latch against a store that fails writes: the ESTOP is still announced, the write is retried until it is stored
/// (health degraded meanwhile), and an authority restarted on the same store comes back ESTOP.
/// </summary>
public sealed class DurableLatchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>An in-memory latch store whose writes (and reads) can be made to fail, as a JetStream outage would.</summary>
    private sealed class FlakyStore : ILatchStore
    {
        private PersistedSafetyState? _stored;
        public volatile bool FailWrites;
        public volatile bool FailReads;
        public int FailedWrites;

        public PersistedSafetyState? Stored => Volatile.Read(ref _stored);

        public Task<PersistedSafetyState?> LoadAsync(CancellationToken cancellationToken)
            => FailReads ? Task.FromException<PersistedSafetyState?>(new IOException("store unreadable")) : Task.FromResult(Stored);

        public Task SaveAsync(PersistedSafetyState state, CancellationToken cancellationToken)
        {
            if (FailWrites)
            {
                Interlocked.Increment(ref FailedWrites);
                return Task.FromException(new IOException("write refused: JetStream unavailable"));
            }
            Volatile.Write(ref _stored, state);
            return Task.CompletedTask;
        }
    }

    private static SafetyAuthorityState Authority(ILatchStore store) => new(store,
        Options.Create(new SafetyAuthorityOptions { PersistTimeoutMs = 200 }), TimeProvider.System, NullLogger<SafetyAuthorityState>.Instance);

    private static async Task<HealthStatus> HealthAsync(SafetyAuthorityState state)
        => (await new SafetyAuthorityReadyCheck(state).CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("safety-state", _ => null!, HealthStatus.Unhealthy, null),
        })).Status;

    [Fact]
    public async Task A_latch_whose_write_failed_is_retried_until_stored_and_survives_a_restart()
    {
        var store = new FlakyStore();
        using (var authority = Authority(store))
        {
            authority.Initialize(await store.LoadAsync(CancellationToken.None));
            Assert.Equal(HealthStatus.Healthy, await HealthAsync(authority));

            store.FailWrites = true;
            Assert.True(await authority.EstopAsync("operator", CancellationToken.None));
            // Announced although not stored: stopping never waits on the store.
            Assert.Equal(SafetyMode.Estop, authority.Current.Mode);
            Assert.Equal(authority.Current.StateId, authority.Unstored);
            Assert.Equal(HealthStatus.Degraded, await HealthAsync(authority));
            await Eventually.WaitAsync(() => Volatile.Read(ref store.FailedWrites) >= 3, "the write retried", Deadline);
            Assert.Null(store.Stored);

            store.FailWrites = false;
            await Eventually.WaitAsync(() => authority.Unstored is null, "the latch stored once the store takes writes", Deadline);
            Assert.Equal(HealthStatus.Healthy, await HealthAsync(authority));
            Assert.True(store.Stored!.Latched);
            Assert.Equal(authority.Current.StateId, store.Stored.StateId);
        }

        // The restart reads the latch back: ESTOP, not ARMED.
        using var restarted = Authority(store);
        restarted.Initialize(await store.LoadAsync(CancellationToken.None));
        Assert.Equal(SafetyMode.Estop, restarted.Current.Mode);
        Assert.Contains("operator", restarted.Current.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Later_changes_during_an_outage_store_the_newest_state_not_an_older_one()
    {
        var store = new FlakyStore();
        using var authority = Authority(store);
        authority.Initialize(null);
        store.FailWrites = true;
        await authority.EstopAsync("first", CancellationToken.None);
        await authority.ApplyAsync("transport", new SafetyEventMessage(SafetyEventKind.VideoGate, SafetyMode.Hold, 900, 1), CancellationToken.None);
        var newest = authority.Current.StateId;
        Assert.Equal(newest, authority.Unstored);

        store.FailWrites = false;
        await Eventually.WaitAsync(() => authority.Unstored is null, "the outage over", Deadline);
        Assert.Equal(newest, store.Stored!.StateId);
        Assert.True(store.Stored.Latched);
    }

    [Fact]
    public async Task An_authority_whose_store_is_unreadable_at_start_comes_up_latched_not_armed()
    {
        await using var server = await NatsServer.StartAsync();
        var store = new FlakyStore { FailReads = true };
        await using var client = new NatsConnection(new NatsOpts { Url = server.Url });
        await using var states = await client.SubscribeCoreAsync<byte[]>(SubjectNames.SafetyState);
        await client.PingAsync();
        await using var authority = await ServiceProgram.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:nats"] = server.Url,
            ["SafetyAuthority:LatchLoadTimeoutMs"] = "500",
        }, services => services.AddSingleton<ILatchStore>(store));
        using var wait = new CancellationTokenSource(Deadline);
        var first = JsonSerializer.Deserialize((await states.Msgs.ReadAsync(wait.Token)).Data, SubjectsJsonContext.Default.SafetyStateMessage)!;
        Assert.Equal(SafetyMode.Estop, first.Mode);
        Assert.Contains("latch store unreadable", first.Reason, StringComparison.Ordinal);
    }
}
