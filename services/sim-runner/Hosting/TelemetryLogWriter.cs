using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Hosting;

/// <summary>
/// Appends one JSON line per telemetry record (and per safety event) to <c>&lt;directory&gt;/&lt;session&gt;.jsonl</c>,
/// flushing after each batch so a tailer only ever sees whole lines.
/// </summary>
public sealed partial class TelemetryLogWriter(SimOutbox outbox, IOptions<TelemetryLogOptions> options, TimeProvider time, ILogger<TelemetryLogWriter> logger)
    : BackgroundService
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public string SessionId { get; } = string.IsNullOrWhiteSpace(options.Value.SessionId)
        ? $"sim-{time.GetUtcNow():yyyyMMdd-HHmmss}"
        : options.Value.SessionId;

    public string FilePath => Path.GetFullPath(Path.Combine(options.Value.Directory, SessionId + ".jsonl"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        LogWriting(FilePath);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await using var file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
        var reader = outbox.ForLog;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                buffer.ResetWrittenCount();
                while (reader.TryRead(out var output))
                {
                    if (ToRecord(output) is not { } record) continue;
                    using (var writer = new Utf8JsonWriter(buffer))
                        JsonSerializer.Serialize(writer, record, SubjectsJsonContext.Default.TelemetryRecord);
                    buffer.Write(NewLine);
                }
                await file.WriteAsync(buffer.WrittenMemory, stoppingToken).ConfigureAwait(false);
                await file.FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private TelemetryRecord? ToRecord(SimOutput output)
    {
        var timestamp = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        switch (output)
        {
            case StateOutput s:
                var values = new Dictionary<string, double>(s.State.Names.Count, StringComparer.Ordinal);
                for (var i = 0; i < s.State.Names.Count; i++) values[s.State.Names[i]] = s.State.Values[i];
                return new TelemetryRecord(timestamp, SessionId, s.State.Frame, s.State.Time, s.State.Mode, values);
            case SafetyEventOutput e:
                var emergency = e.Event.Mode == SafetyMode.Estop
                    ? new TelemetryEmergency(e.Event.Reason ?? $"{e.Event.Kind.ToWire()} ESTOP", "high", e.Event.Kind)
                    : null;
                return new TelemetryRecord(timestamp, SessionId, e.Step, e.Time, e.Mode, Event: e.Event, Emergency: emergency);
            default:
                return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Writing telemetry to {Path}")]
    private partial void LogWriting(string path);
}
