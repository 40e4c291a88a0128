namespace Platform.Media;

/// <summary>The FFmpeg libraries could not be loaded, or are not the major versions this code binds to.</summary>
public sealed class MediaLibraryException : MediaException
{
    public MediaLibraryException(string message) : base(message) { }
}
