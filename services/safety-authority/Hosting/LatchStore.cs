using System.Text.Json;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;
using NATS.Net;
using Platform.SafetyAuthority.State;

namespace Platform.SafetyAuthority.Hosting;

/// <summary>Where the latch and last state_id are kept, so a latched ESTOP survives a restart.</summary>
public interface ILatchStore
{
    /// <summary>The persisted state, or null when none was ever written. Throws when the store cannot be read.</summary>
    Task<PersistedSafetyState?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Returns once the state is stored; throws when it is not.</summary>
    Task SaveAsync(PersistedSafetyState state, CancellationToken cancellationToken);
}

/// <summary>The latch in a JetStream key-value bucket (NATS.Client.KeyValueStore).</summary>
public sealed class LatchStore(INatsConnection nats, IOptions<SafetyAuthorityOptions> options) : ILatchStore
{
    private INatsKVStore? _store;

    public async Task<PersistedSafetyState?> LoadAsync(CancellationToken cancellationToken)
    {
        var store = await StoreAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entry = await store.GetEntryAsync(options.Value.KvKey, serializer: NatsRawSerializer<byte[]>.Default, cancellationToken: cancellationToken).ConfigureAwait(false);
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
        var payload = JsonSerializer.SerializeToUtf8Bytes(state, AuthorityJsonContext.Default.PersistedSafetyState);
        await store.PutAsync(options.Value.KvKey, payload, NatsRawSerializer<byte[]>.Default, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<INatsKVStore> StoreAsync(CancellationToken cancellationToken)
        => _store ??= await nats.CreateKeyValueStoreContext().CreateOrUpdateStoreAsync(new NatsKVConfig(options.Value.KvBucket), cancellationToken).ConfigureAwait(false);
}
