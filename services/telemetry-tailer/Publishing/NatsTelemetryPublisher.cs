using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using Platform.TelemetryTailer.Tailing;

namespace Platform.TelemetryTailer.Publishing;

/// <summary>
/// Publishes every record on <c>telemetry.tail.&lt;session&gt;</c> (the line's JSON as read) and every emergency on
/// <c>telemetry.tail.&lt;session&gt;.emergency</c>. The tailer hands batches over through a bounded queue, so a slow or
/// absent NATS server never stalls tailing or the WebSocket clients: when the queue is full, batches are dropped and counted.
/// </summary>
public sealed partial class NatsTelemetryPublisher(INatsConnection nats, IOptions<TelemetryTailerOptions> options, ILogger<NatsTelemetryPublisher> logger)
    : BackgroundService, ITelemetrySink
{
    private readonly Channel<SessionBatch> _queue = Channel.CreateBounded<SessionBatch>(new BoundedChannelOptions(Math.Max(1, options.Value.PublishQueueCapacity))
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // only TryWrite is used: a full queue refuses instead of waiting
    });
    private long _droppedRecords;

    /// <summary>The subject of a session's records: its id with the characters NATS gives meaning to ('.', '*', '>', whitespace) as '_'.</summary>
    public static string SubjectFor(string sessionId)
    {
        var token = string.Create(sessionId.Length, sessionId, static (span, id) =>
        {
            for (var i = 0; i < id.Length; i++)
                span[i] = id[i] is '.' or '*' or '>' || char.IsWhiteSpace(id[i]) || char.IsControl(id[i]) ? '_' : id[i];
        });
        return "telemetry.tail." + token;
    }

    public void Publish(SessionBatch batch)
    {
        if (_queue.Writer.TryWrite(batch)) return;
        if (Interlocked.Add(ref _droppedRecords, batch.Records.Count) == batch.Records.Count) LogFirstDrop(options.Value.PublishQueueCapacity);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                var subject = SubjectFor(batch.SessionId);
                try
                {
                    foreach (var record in batch.Records)
                        await nats.PublishAsync(subject, record, serializer: RecordSerializer.Instance, cancellationToken: stoppingToken);
                    foreach (var emergency in batch.Emergencies)
                        await nats.PublishAsync(subject + ".emergency", emergency.Json, cancellationToken: stoppingToken);
                }
                catch (NatsException ex)
                {
                    Interlocked.Add(ref _droppedRecords, batch.Records.Count);
                    LogPublishFailed(ex, subject);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Writes a record's JSON exactly as it was read, with no copy in between.</summary>
    private sealed class RecordSerializer : INatsSerialize<TailRecord>
    {
        public static readonly RecordSerializer Instance = new();

        public void Serialize(IBufferWriter<byte> bufferWriter, TailRecord value) => bufferWriter.Write(value.Utf8);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "NATS publish queue full ({Capacity} batches): dropping telemetry until NATS keeps up; check the NATS connection")]
    private partial void LogFirstDrop(int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing on {Subject} failed; the batch is dropped and tailing goes on")]
    private partial void LogPublishFailed(Exception exception, string subject);
}
