using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Media;

namespace Platform.Encoder.Pipeline;

/// <summary>
/// Loads libavcodec, libavutil and libswscale once at start and remembers the outcome: without them the service still
/// runs (health says why, Ingest refuses) so the dashboard shows one clear reason instead of a crash loop.
/// </summary>
public sealed partial class MediaLibraryStatus : IHostedService
{
    private readonly Lazy<string?> _error;

    public MediaLibraryStatus(ILogger<MediaLibraryStatus> logger) : this(logger, LoadFFmpeg)
    {
    }

    /// <summary><paramref name="load"/> returns a description of what loaded or throws <see cref="MediaLibraryException"/>.</summary>
    internal MediaLibraryStatus(ILogger logger, Func<string> load) => _error = new Lazy<string?>(() =>
    {
        try
        {
            var description = load();
            LogLoaded(logger, description);
            return null;
        }
        catch (MediaLibraryException ex)
        {
            LogMissing(logger, ex.Message);
            return ex.Message;
        }
    });

    /// <summary>Null when the libraries loaded, else what is wrong and which Debian packages to install.</summary>
    public string? Error => _error.Value;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Error;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string LoadFFmpeg()
    {
        FFmpegLibrary.EnsureLoaded();
        return FFmpegLibrary.Describe();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "FFmpeg libraries loaded: {Description}")]
    private static partial void LogLoaded(ILogger logger, string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "The encoder cannot encode (health: Unhealthy, Ingest refused) until the FFmpeg libraries load: {Reason}")]
    private static partial void LogMissing(ILogger logger, string reason);
}
