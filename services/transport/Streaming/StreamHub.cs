using System.Net.WebSockets;
using Platform.Transport.Clients;
using Platform.Transport.Video;

namespace Platform.Transport.Streaming;

/// <summary>
/// The connected <c>/stream/ws</c> clients. Fan-out iterates a snapshot array and only offers to each client's outbox
/// (never waits), so one slow client cannot delay the NATS receive loops or the other clients.
/// </summary>
public sealed class StreamHub
{
    private readonly Lock _lock = new();
    private readonly KeyframeRequester _keyframes;
    private StreamClient[] _clients = [];

    public StreamHub(KeyframeRequester keyframes)
    {
        _keyframes = keyframes;
        keyframes.ProblemChanged += (stream, problem) =>
        {
            if (problem is not null) Send(stream, StreamMessages.VideoUnavailable(stream, problem));
        };
    }

    public IReadOnlyList<StreamClient> Clients => Volatile.Read(ref _clients);

    /// <summary>
    /// Adds a client, and asks the encoder for its stream's keyframe at once (throttled per stream): with no video flowing
    /// the answer is the only way to learn why, which the client is told; a known problem is told straight away.
    /// </summary>
    public void Attach(StreamClient client)
    {
        lock (_lock) _clients = [.. _clients, client];
        if (_keyframes.Problem(client.Stream) is { } problem) client.Reply(StreamMessages.VideoUnavailable(client.Stream, problem));
        _keyframes.Request(client.Stream);
    }

    private void Send(string stream, byte[] message)
    {
        foreach (var client in Volatile.Read(ref _clients))
        {
            if (client.Stream == stream) client.Reply(message);
        }
    }

    public void Detach(StreamClient client)
    {
        lock (_lock) _clients = [.. _clients.Where(c => c != client)];
    }

    /// <summary>Offers a whole VIDEO message to every client of the stream; asks for a keyframe when one waits for it.</summary>
    public void BroadcastVideo(string stream, Outbound frame)
    {
        var needsKeyframe = false;
        foreach (var client in Volatile.Read(ref _clients))
        {
            if (client.Stream != stream) continue;
            if (client.Connection.Outbox.OfferVideo(frame) == VideoOffer.NeedsKeyframe) needsKeyframe = true;
        }
        if (needsKeyframe) _keyframes.Request(stream);
    }

    /// <summary>Offers a relayed 0x02 message to every client whose filter takes <paramref name="subject"/>.</summary>
    public void BroadcastTelemetry(string subject, byte[] message)
    {
        var outbound = Outbound.Binary(message);
        foreach (var client in Volatile.Read(ref _clients))
        {
            if (client.Filter.Matches(subject)) client.Connection.Outbox.OfferTelemetry(outbound);
        }
    }

    /// <summary>Ends every client of <paramref name="session"/>: a final 0x02 session.terminated, then close 1008 with the reason.</summary>
    public int TerminateSession(string session, string reason, string? detail)
    {
        var message = StreamMessages.SessionTerminated(reason, detail);
        var closed = 0;
        foreach (var client in Volatile.Read(ref _clients))
        {
            if (client.Session != session) continue;
            client.Reply(message);
            client.Connection.Close(WebSocketCloseStatus.PolicyViolation, $"session terminated: {reason}" + (detail is null ? "" : $" ({detail})"));
            closed++;
        }
        return closed;
    }
}
