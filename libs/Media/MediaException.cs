namespace Platform.Media;

/// <summary>A media operation failed; the message says which encoder or library, which step, and what to do.</summary>
public class MediaException : Exception
{
    public MediaException(string message) : base(message) { }

    public MediaException(string message, Exception innerException) : base(message, innerException) { }
}
