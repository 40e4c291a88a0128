using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Platform.Nats.JetStream;
using Platform.Nats.JetStream.Internal;

namespace Platform.Nats.KeyValueStore;

/// <summary>
/// A bucket over its stream: put = publish to <c>$KV.{bucket}.{key}</c> and read the PubAck; get = direct get of the
/// last message on that subject; watch = an ephemeral push consumer delivering to an inbox.
/// </summary>
internal sealed partial class NatsKVStore(NatsJSContext context, string bucket) : INatsKVStore
{
    private const string OperationHeader = "KV-Operation";

    private readonly string _stream = NatsKVContext.StreamName(bucket);
    private INatsConnection Connection => context.Connection;

    public string Bucket { get; } = bucket;

    public async ValueTask<ulong> PutAsync<T>(string key, T value, INatsSerialize<T>? serializer = default, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        return await PublishAsync(key, value, null, serializer ?? Connection.Opts.SerializerRegistry.GetSerializer<T>(), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        await PublishAsync(key, ReadOnlyMemory<byte>.Empty, new NatsHeaders { [OperationHeader] = "DEL" },
            NatsRawSerializer<ReadOnlyMemory<byte>>.Default, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ulong> PublishAsync<T>(string key, T value, NatsHeaders? headers, INatsSerialize<T> serializer, CancellationToken cancellationToken)
    {
        NatsMsg<PubAckResponse> ack;
        try
        {
            ack = await Connection.RequestAsync($"$KV.{Bucket}.{key}", value, headers, serializer,
                new JsonTypeInfoSerializer<PubAckResponse>(JSApiJsonContext.Default.PubAckResponse), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException ex)
        {
            throw new NatsKVException($"Key-value bucket '{Bucket}' does not exist (no stream took the write): create it with CreateStoreAsync.", ex);
        }
        if (ack.Data?.Error is { } error) throw new NatsJSApiException(error.Code, error.ErrCode, error.Description ?? "", $"put {Bucket}/{key}");
        return ack.Data?.Seq ?? throw new NatsKVException($"Put of '{key}' in '{Bucket}' got an empty acknowledgement.");
    }

    public async ValueTask<NatsKVEntry<T>> GetEntryAsync<T>(string key, INatsDeserialize<T>? serializer = default, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        NatsMsg<T> reply;
        try
        {
            reply = await Connection.RequestAsync<ReadOnlyMemory<byte>, T>($"$JS.API.DIRECT.GET.{_stream}.$KV.{Bucket}.{key}", default,
                replySerializer: new EmptyAwareDeserializer<T>(serializer ?? Connection.Opts.SerializerRegistry.GetDeserializer<T>()),
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException ex)
        {
            throw new NatsKVException($"Key-value bucket '{Bucket}' does not exist or has direct get off: create it with CreateStoreAsync.", ex);
        }
        var headers = reply.Headers;
        if (headers?.Code == 404) throw new NatsKVKeyNotFoundException(Bucket, key);
        if (headers is null || headers.Code >= 400) throw new NatsKVException($"Get of '{key}' in '{Bucket}' failed: {headers?.Code} {headers?.Message}");
        var operation = ParseOperation(headers);
        if (operation != NatsKVOperation.Put) throw new NatsKVKeyNotFoundException(Bucket, key);
        return new NatsKVEntry<T>(Bucket, key)
        {
            Value = reply.Data,
            Revision = ulong.TryParse(headers["Nats-Sequence"], CultureInfo.InvariantCulture, out var seq) ? seq : 0,
            Created = DateTimeOffset.TryParse(headers["Nats-Time-Stamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts) ? ts : default,
            Operation = operation,
        };
    }

    public async IAsyncEnumerable<NatsKVEntry<T>> WatchAsync<T>(string key = ">", INatsDeserialize<T>? serializer = default, NatsKVWatchOpts? opts = default,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ValidateKey(key, allowWildcards: true);
        var inbox = Connection.NewInbox();
        await using var sub = await Connection.SubscribeCoreAsync(inbox, serializer: new EmptyAwareDeserializer<T>(serializer ?? Connection.Opts.SerializerRegistry.GetDeserializer<T>()),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var request = new ConsumerCreateRequest
        {
            StreamName = _stream,
            Config = new ConsumerConfig
            {
                DeliverSubject = inbox,
                DeliverPolicy = opts?.UpdatesOnly == true ? "new" : "last_per_subject",
                FilterSubject = $"$KV.{Bucket}.{key}",
            },
        };
        await context.RequestAsync($"CONSUMER.CREATE.{_stream}", request, JSApiJsonContext.Default.ConsumerCreateRequest,
            JSApiJsonContext.Default.ConsumerInfoResponse, cancellationToken).ConfigureAwait(false);

        var prefix = $"$KV.{Bucket}.";
        while (await sub.Msgs.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (sub.Msgs.TryRead(out var msg))
            {
                if (msg.Headers is { Code: >= 100 }) continue; // heartbeats and flow control are not entries
                var operation = ParseOperation(msg.Headers);
                if (operation != NatsKVOperation.Put && opts?.IgnoreDeletes == true) continue;
                var (revision, delta, created) = ParseAckSubject(msg.ReplyTo);
                yield return new NatsKVEntry<T>(Bucket, msg.Subject.StartsWith(prefix, StringComparison.Ordinal) ? msg.Subject[prefix.Length..] : msg.Subject)
                {
                    Value = operation == NatsKVOperation.Put ? msg.Data : default,
                    Revision = revision,
                    Delta = delta,
                    Created = created,
                    Operation = operation,
                };
            }
        }
    }

    private static NatsKVOperation ParseOperation(NatsHeaders? headers) =>
        headers is not null && headers.TryGetValue(OperationHeader, out var op)
            ? op.ToString() switch { "DEL" => NatsKVOperation.Del, "PURGE" => NatsKVOperation.Purge, _ => NatsKVOperation.Put }
            : NatsKVOperation.Put;

    /// <summary>
    /// <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;sseq&gt;.&lt;cseq&gt;.&lt;ts&gt;.&lt;pending&gt;</c>, or the newer form with
    /// domain and account hash in front (and a token after): the last fields count from the same place either way.
    /// </summary>
    private static (ulong Revision, ulong Delta, DateTimeOffset Created) ParseAckSubject(string? replyTo)
    {
        if (replyTo is null) return default;
        var tokens = replyTo.Split('.');
        var offset = tokens.Length switch { 9 => 0, >= 11 => 2, _ => -1 };
        if (offset < 0) return default;
        ulong.TryParse(tokens[5 + offset], CultureInfo.InvariantCulture, out var seq);
        long.TryParse(tokens[7 + offset], CultureInfo.InvariantCulture, out var nanos);
        ulong.TryParse(tokens[8 + offset], CultureInfo.InvariantCulture, out var pending);
        return (seq, pending, DateTimeOffset.UnixEpoch.AddTicks(nanos / 100));
    }

    private static void ValidateKey(string key, bool allowWildcards = false)
    {
        var valid = !string.IsNullOrEmpty(key) && !key.StartsWith('.') && !key.EndsWith('.') &&
                    (allowWildcards ? WatchKey().IsMatch(key) : Key().IsMatch(key));
        if (!valid) throw new ArgumentException($"Invalid key-value key '{key}': use letters, digits and -/_=. (not at the ends).", nameof(key));
    }

    [GeneratedRegex(@"^[-/_=\.a-zA-Z0-9]+$")]
    private static partial Regex Key();

    [GeneratedRegex(@"^[-/_=\.a-zA-Z0-9*>]+$")]
    private static partial Regex WatchKey();

    /// <summary>Deletes and "not found" replies carry no payload: read those as default instead of asking the value's serializer.</summary>
    private sealed class EmptyAwareDeserializer<T>(INatsDeserialize<T> inner) : INatsDeserialize<T>
    {
        public T? Deserialize(in System.Buffers.ReadOnlySequence<byte> buffer) => buffer.IsEmpty ? default : inner.Deserialize(buffer);
    }
}
