namespace Platform.Nats.JetStream;

public class NatsJSException : NatsException
{
    public NatsJSException(string message) : base(message) { }
    public NatsJSException(string message, Exception? inner) : base(message, inner) { }
    public NatsJSException() { }
}

/// <summary>The JetStream API answered with an error (code, err_code and description as the server sent them).</summary>
public sealed class NatsJSApiException : NatsJSException
{
    public NatsJSApiException(int code, int errorCode, string description, string api)
        : base($"JetStream API {api} failed: {description} (code {code}, err_code {errorCode}).")
    {
        Code = code;
        ErrorCode = errorCode;
        Description = description;
    }

    public NatsJSApiException() { Description = ""; }
    public NatsJSApiException(string message) : base(message) { Description = ""; }
    public NatsJSApiException(string message, Exception? inner) : base(message, inner) { Description = ""; }

    public int Code { get; }
    public int ErrorCode { get; }
    public string Description { get; }
}
