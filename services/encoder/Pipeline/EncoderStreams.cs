using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Encoder.Hosting;
using NATS.Client.Core;

namespace Platform.Encoder.Pipeline;

/// <summary>Every stream this encoder has ingested, by name; starts the pipeline of each Ingest call.</summary>
public sealed partial class EncoderStreams
{
    private const int MaxNameLength = 64;
    private readonly ConcurrentDictionary<string, StreamState> _streams = new(StringComparer.Ordinal);
    private readonly EncoderOptions _options;
    private readonly INatsConnection _nats;
    private readonly TimeProvider _time;
    private readonly EncoderTelemetry _telemetry;
    private readonly ILogger<IngestPipeline> _logger;

    public EncoderStreams(IOptions<EncoderOptions> options, INatsConnection nats, TimeProvider time, EncoderTelemetry telemetry, ILogger<IngestPipeline> logger)
    {
        _options = options.Value;
        _nats = nats;
        _time = time;
        _telemetry = telemetry;
        _logger = logger;
        telemetry.ObserveOutput(OutputRates);
    }

    public StreamState? Find(string name) => _streams.TryGetValue(name, out var stream) ? stream : null;

    /// <summary>The stream's state, created for a stream not ingested yet (a record lease may come first); validate the name first.</summary>
    public StreamState GetOrAdd(string name) => _streams.GetOrAdd(name, n => new StreamState(n, _options, _time));

    /// <summary>
    /// Starts a pipeline for <paramref name="name"/>, or returns null when another Ingest call holds that stream and is alive.
    /// A holder that sent nothing for <see cref="EncoderOptions.IngestTakeoverAfterMs"/> (a source that died without its
    /// connection closing) is ended, so the source's next call is not locked out.
    /// </summary>
    public async Task<IngestPipeline?> TryBeginIngestAsync(string name, CancellationToken cancellationToken)
    {
        var stream = GetOrAdd(name);
        var pipeline = stream.TryAttach(Create);
        if (pipeline is null && stream.Active is { } holder && holder.Stats.IdleFor >= TimeSpan.FromMilliseconds(_options.IngestTakeoverAfterMs))
        {
            LogTakeover(name, holder.Stats.IdleFor.TotalSeconds, holder.Stats.LastFrameId);
            holder.Abandon();
            try
            {
                await holder.Ended.WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
            pipeline = stream.TryAttach(Create);
        }
        pipeline?.Start();
        return pipeline;
    }

    private IngestPipeline Create(StreamState stream) => new(stream, _options, _nats, _time, _telemetry, _logger);

    private IEnumerable<(string Stream, double Fps, long BitrateBps)> OutputRates()
    {
        foreach (var stream in _streams.Values)
        {
            if (stream.OutputRates() is { } rates) yield return (stream.Name, rates.Fps, rates.BitrateBps);
        }
    }

    /// <summary>Waits for the pipeline to finish its queued frames, then frees the stream for the next call.</summary>
    public async Task EndIngestAsync(IngestPipeline pipeline)
    {
        try
        {
            await pipeline.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            Find(pipeline.StreamName)?.Detach(pipeline);
            pipeline.MarkEnded();
            pipeline.Dispose();
        }
    }

    /// <summary>A stream name is one NATS subject token: letters, digits, '-' and '_'.</summary>
    public static string? NameProblem(string name)
    {
        if (string.IsNullOrEmpty(name)) return "the stream name is empty (set RawFrame.stream, e.g. \"main\")";
        if (name.Length > MaxNameLength) return $"the stream name is longer than {MaxNameLength} characters";
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                return $"the stream name '{name}' has '{c}'; use letters, digits, '-' and '_' (it becomes a NATS subject token)";
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream}: the Ingest call holding it sent nothing for {IdleSeconds:0.0} s (last frame {LastFrameId}); a new call takes the stream over")]
    private partial void LogTakeover(string stream, double idleSeconds, ulong lastFrameId);
}
