namespace Platform.Nats.KeyValueStore;

/// <summary>A key-value bucket (shape of NATS.Net's <c>INatsKVStore</c>).</summary>
public interface INatsKVStore
{
    string Bucket { get; }

    /// <summary>Writes a value; returns its revision.</summary>
    ValueTask<ulong> PutAsync<T>(string key, T value, INatsSerialize<T>? serializer = default, CancellationToken cancellationToken = default);

    /// <summary>The latest value; throws <see cref="NatsKVKeyNotFoundException"/> when there is none.</summary>
    ValueTask<NatsKVEntry<T>> GetEntryAsync<T>(string key, INatsDeserialize<T>? serializer = default, CancellationToken cancellationToken = default);

    /// <summary>Marks the key deleted (a DEL entry in its history).</summary>
    ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Current values of matching keys (unless UpdatesOnly), then every change; <paramref name="key"/> may use wildcards.</summary>
    IAsyncEnumerable<NatsKVEntry<T>> WatchAsync<T>(string key = ">", INatsDeserialize<T>? serializer = default, NatsKVWatchOpts? opts = default, CancellationToken cancellationToken = default);
}
