using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Nats;
using Platform.Nats.JetStream;
using Platform.Nats.KeyValueStore;
using Platform.SafetyAuthority.State;

namespace Platform.SafetyAuthority.Hosting;

/// <summary>The latch and last state_id in a JetStream key-value bucket, so a latched ESTOP survives a restart.</summary>
public sealed class LatchStore(INatsConnection nats, IOptions<SafetyAuthorityOptions> options)
{
    private INatsKVStore? _store;

    /// <summary>The persisted state, or null when none was ever written. Throws when the bucket cannot be reached.</summary>
    public async Task<PersistedSafetyState?> LoadAsync(CancellationToken cancellationToken)
    {
        var store = await StoreAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entry = await store.GetEntryAsync<byte[]>(options.Value.KvKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return entry.Value is { Length: > 0 } bytes ? JsonSerializer.Deserialize(bytes, AuthorityJsonContext.Default.PersistedSafetyState) : null;
        }
        catch (NatsKVKeyNotFoundException)
        {
            return null;
        }
    }

    public async Task SaveAsync(PersistedSafetyState state, CancellationToken cancellationToken)
    {
        var store = await StoreAsync(cancellationToken).ConfigureAwait(false);
        await store.PutAsync(options.Value.KvKey, JsonSerializer.SerializeToUtf8Bytes(state, AuthorityJsonContext.Default.PersistedSafetyState), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<INatsKVStore> StoreAsync(CancellationToken cancellationToken)
        => _store ??= await new NatsKVContext(new NatsJSContext(nats)).CreateStoreAsync(options.Value.KvBucket, cancellationToken).ConfigureAwait(false);
}
