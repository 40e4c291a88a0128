using System.Text.RegularExpressions;
using Platform.Nats.JetStream;
using Platform.Nats.JetStream.Internal;

namespace Platform.Nats.KeyValueStore;

/// <summary>Creates and opens key-value buckets, each a stream <c>KV_{bucket}</c> on subjects <c>$KV.{bucket}.&gt;</c>.</summary>
public sealed partial class NatsKVContext(NatsJSContext context)
{
    /// <summary>JetStream's "stream name already in use" error code.</summary>
    private const int StreamNameInUse = 10058;

    /// <summary>JetStream's "stream not found" error code.</summary>
    private const int StreamNotFound = 10059;

    public NatsJSContext JetStreamContext { get; } = context;

    public ValueTask<INatsKVStore> CreateStoreAsync(string bucket, CancellationToken cancellationToken = default) =>
        CreateStoreAsync(new NatsKVConfig(bucket), cancellationToken);

    /// <summary>Creates the bucket, or opens it when it already exists (possibly created by another client with other settings).</summary>
    public async ValueTask<INatsKVStore> CreateStoreAsync(NatsKVConfig config, CancellationToken cancellationToken = default)
    {
        ValidateBucket(config.Bucket);
        if (config.History is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(config), "NatsKVConfig.History must be between 1 and 64.");
        var stream = new StreamConfig
        {
            Name = StreamName(config.Bucket),
            Description = config.Description,
            Subjects = [$"$KV.{config.Bucket}.>"],
            MaxMsgsPerSubject = config.History,
            MaxAgeNanos = (long)(config.MaxAge.TotalMilliseconds * 1_000_000),
            MaxBytes = config.MaxBytes,
            MaxMsgSize = config.MaxValueSize,
            Storage = config.Storage == NatsKVStorageType.Memory ? "memory" : "file",
        };
        try
        {
            await JetStreamContext.RequestAsync($"STREAM.CREATE.{stream.Name}", stream, JSApiJsonContext.Default.StreamConfig,
                JSApiJsonContext.Default.StreamInfoResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.ErrorCode == StreamNameInUse)
        {
            return await GetStoreAsync(config.Bucket, cancellationToken).ConfigureAwait(false);
        }
        return new NatsKVStore(JetStreamContext, config.Bucket);
    }

    /// <summary>Opens an existing bucket; throws <see cref="NatsKVException"/> when there is none.</summary>
    public async ValueTask<INatsKVStore> GetStoreAsync(string bucket, CancellationToken cancellationToken = default)
    {
        ValidateBucket(bucket);
        try
        {
            await JetStreamContext.RequestAsync($"STREAM.INFO.{StreamName(bucket)}", new StreamInfoRequest(), JSApiJsonContext.Default.StreamInfoRequest,
                JSApiJsonContext.Default.StreamInfoResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.ErrorCode == StreamNotFound)
        {
            throw new NatsKVException($"Key-value bucket '{bucket}' does not exist: create it first with CreateStoreAsync.", ex);
        }
        return new NatsKVStore(JetStreamContext, bucket);
    }

    internal static string StreamName(string bucket) => $"KV_{bucket}";

    private static void ValidateBucket(string bucket)
    {
        if (string.IsNullOrEmpty(bucket) || !BucketName().IsMatch(bucket))
            throw new ArgumentException($"Invalid key-value bucket name '{bucket}': use letters, digits, '-' and '_'.", nameof(bucket));
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex BucketName();
}
