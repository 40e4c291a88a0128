namespace Platform.Nats;

/// <summary>Base of every error this client raises.</summary>
public class NatsException : Exception
{
    public NatsException(string message) : base(message) { }
    public NatsException(string message, Exception? inner) : base(message, inner) { }
    public NatsException() { }
}

/// <summary>A request found no subscriber on its subject (the server answered status 503).</summary>
public sealed class NatsNoRespondersException : NatsException
{
    public NatsNoRespondersException(string subject)
        : base($"No responders are subscribed to '{subject}': start the service that answers it, or check the subject name.") => Subject = subject;
    public NatsNoRespondersException() { Subject = ""; }
    public NatsNoRespondersException(string message, Exception? inner) : base(message, inner) { Subject = ""; }
    public string Subject { get; }
}

/// <summary>A request got no reply within its timeout.</summary>
public sealed class NatsNoReplyException : NatsException
{
    public NatsNoReplyException(string subject, TimeSpan timeout)
        : base($"No reply on '{subject}' within {timeout.TotalMilliseconds:0} ms: the responder is slow or gone; raise RequestTimeout or check the responder.") => Subject = subject;
    public NatsNoReplyException() { Subject = ""; }
    public NatsNoReplyException(string message, Exception? inner) : base(message, inner) { Subject = ""; }
    public string Subject { get; }
}

/// <summary>A message is larger than the server's max_payload; it was not sent.</summary>
public sealed class NatsPayloadTooLargeException : NatsException
{
    public NatsPayloadTooLargeException(string subject, long size, long maxPayload)
        : base($"Message on '{subject}' is {size} bytes, over the server's max_payload of {maxPayload} bytes: split it, or raise max_payload in the server configuration.") { }
    public NatsPayloadTooLargeException() { }
    public NatsPayloadTooLargeException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The connection is down and the publishes buffered meanwhile have reached ReconnectBufferSize; this one was not sent.</summary>
public sealed class NatsReconnectBufferFullException : NatsException
{
    public NatsReconnectBufferFullException(string subject, int limit)
        : base($"Not connected and {limit} bytes of publishes are already buffered (NatsOpts.ReconnectBufferSize); the publish to '{subject}' was not sent: wait for the connection (ConnectionOpened) or raise ReconnectBufferSize.") { }
    public NatsReconnectBufferFullException() { }
    public NatsReconnectBufferFullException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The server or a peer broke the protocol (garbage, truncated or oversized frames).</summary>
public sealed class NatsProtocolException : NatsException
{
    public NatsProtocolException(string message) : base(message) { }
    public NatsProtocolException() { }
    public NatsProtocolException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The server answered -ERR.</summary>
public sealed class NatsServerException : NatsException
{
    public NatsServerException(string error) : base($"nats-server error: {error}") => Error = error;
    public NatsServerException() { Error = ""; }
    public NatsServerException(string message, Exception? inner) : base(message, inner) { Error = ""; }
    public string Error { get; }
}
