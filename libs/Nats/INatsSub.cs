using System.Threading.Channels;

namespace Platform.Nats;

/// <summary>A live subscription whose messages are read from <see cref="Msgs"/> (shape of NATS.Net's <c>INatsSub&lt;T&gt;</c>).</summary>
public interface INatsSub<T> : IAsyncDisposable
{
    string Subject { get; }
    string? QueueGroup { get; }

    /// <summary>Bounded: when the reader falls behind, new messages are dropped (see <see cref="INatsConnection.MessageDropped"/>).</summary>
    ChannelReader<NatsMsg<T>> Msgs { get; }

    ValueTask UnsubscribeAsync();
}
