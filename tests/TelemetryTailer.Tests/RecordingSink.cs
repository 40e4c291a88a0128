using System.Collections.Concurrent;
using Platform.TelemetryTailer.Tailing;

namespace Platform.TelemetryTailer.Tests;

/// <summary>A sink that keeps what the tailer publishes (or, with keep: false, only counts it).</summary>
public sealed class RecordingSink(bool keep = true) : ITelemetrySink
{
    private long _recordCount;

    public ConcurrentQueue<TailRecord> Records { get; } = new();
    public ConcurrentQueue<TailError> Errors { get; } = new();
    public ConcurrentQueue<EmergencyEvent> Emergencies { get; } = new();
    public long RecordCount => Interlocked.Read(ref _recordCount);

    public void Publish(SessionBatch batch)
    {
        Interlocked.Add(ref _recordCount, batch.Records.Count);
        if (!keep) return;
        foreach (var r in batch.Records) Records.Enqueue(r);
        foreach (var e in batch.Errors) Errors.Enqueue(e);
        foreach (var e in batch.Emergencies) Emergencies.Enqueue(e);
    }

    public IReadOnlyList<TailRecord> Of(string sessionId) => [.. Records.Where(r => r.SessionId == sessionId)];
}
