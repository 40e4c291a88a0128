using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Encoder.Hosting;
using Platform.Nats;

namespace Platform.Encoder.Pipeline;

/// <summary>Every stream this encoder has ingested, by name; starts the pipeline of each Ingest call.</summary>
public sealed class EncoderStreams(IOptions<EncoderOptions> options, INatsConnection nats, TimeProvider time, EncoderTelemetry telemetry, ILogger<IngestPipeline> logger)
{
    private const int MaxNameLength = 64;
    private readonly ConcurrentDictionary<string, StreamState> _streams = new(StringComparer.Ordinal);

    public StreamState? Find(string name) => _streams.TryGetValue(name, out var stream) ? stream : null;

    /// <summary>Starts a pipeline for <paramref name="name"/>, or returns null when another Ingest call holds that stream.</summary>
    public IngestPipeline? TryBeginIngest(string name)
    {
        var stream = _streams.GetOrAdd(name, n => new StreamState(n, options.Value, time));
        var pipeline = stream.TryAttach(s => new IngestPipeline(s, options.Value, nats, time, telemetry, logger));
        pipeline?.Start();
        return pipeline;
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
}
