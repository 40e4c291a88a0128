using Platform.Transport.Clients;
using Platform.Transport.Telemetry;

namespace Platform.Transport.Streaming;

/// <summary>A <c>/stream/ws</c> client: its connection, session, stream and telemetry filter.</summary>
public sealed class StreamClient(ClientConnection connection, string session, string stream, SubjectFilter filter)
{
    private volatile SubjectFilter _filter = filter;

    public ClientConnection Connection { get; } = connection;
    public string Id => Connection.Id;
    public string Session { get; } = session;
    public string Stream { get; } = stream;

    public SubjectFilter Filter
    {
        get => _filter;
        set => _filter = value;
    }

    public void Reply(byte[] message) => Connection.Outbox.OfferControl(Outbound.Binary(message));
}
