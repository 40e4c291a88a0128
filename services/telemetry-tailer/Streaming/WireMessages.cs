using System.Buffers;
using System.Text;
using System.Text.Json;
using Platform.TelemetryTailer.Tailing;

namespace Platform.TelemetryTailer.Streaming;

/// <summary>
/// The server → client messages of <c>/ws/telemetry</c> (seed 003: telemetry, emergency, subscribed, error; plus
/// unsubscribed, snapshot, sessions, heartbeat, session_started, session_ended, dropped). Records are written as
/// they were read, never re-serialized.
/// </summary>
public static class WireMessages
{
    /// <summary>
    /// <c>{"type":"telemetry","sessionId":...,"data":[records]}</c>, composed by copying each record's bytes once into
    /// a message of the exact size (the hot path: one message per batch of up to MaxBatchRecords records).
    /// </summary>
    public static byte[] Telemetry(string sessionId, IReadOnlyList<TailRecord> records, bool history)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"type\":\"telemetry\",\"sessionId\":{JsonSerializer.Serialize(sessionId)}{(history ? ",\"history\":true" : "")},\"data\":[");
        var size = head.Length + Math.Max(0, records.Count - 1) + 2;
        foreach (var record in records) size += record.Utf8.Length;
        var message = new byte[size];
        head.CopyTo(message, 0);
        var at = head.Length;
        for (var i = 0; i < records.Count; i++)
        {
            if (i > 0) message[at++] = (byte)',';
            records[i].Utf8.CopyTo(message, at);
            at += records[i].Utf8.Length;
        }
        message[at++] = (byte)']';
        message[at] = (byte)'}';
        return message;
    }

    public static byte[] Emergency(EmergencyEvent emergency) => Write(w =>
    {
        w.WriteString("type", "emergency");
        w.WriteString("sessionId", emergency.SessionId);
        w.WriteNumber("line", emergency.Line);
        w.WritePropertyName("data");
        w.WriteRawValue(emergency.Json, skipInputValidation: true);
    }, emergency.Json.Length + 128);

    /// <summary>A malformed line: seed 003's error message with the session, file and line.</summary>
    public static byte[] LineError(TailError error) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("sessionId", error.SessionId);
        w.WriteString("file", error.File);
        w.WriteNumber("line", error.Line);
        w.WriteString("message", error.Reason);
    });

    public static byte[] Error(string message) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("message", message);
    });

    public static byte[] Subscribed(string? sessionId, int lastN, int filters) => Write(w =>
    {
        w.WriteString("type", "subscribed");
        WriteSessionId(w, sessionId);
        w.WriteString("message", sessionId is null ? "Subscribed to all sessions" : $"Subscribed to {sessionId}");
        w.WriteNumber("lastN", lastN);
        w.WriteNumber("filters", filters);
    });

    public static byte[] Unsubscribed(string? sessionId, bool wasSubscribed) => Write(w =>
    {
        w.WriteString("type", "unsubscribed");
        WriteSessionId(w, sessionId);
        w.WriteString("message", !wasSubscribed ? "Not subscribed" : sessionId is null ? "Unsubscribed from all sessions" : $"Unsubscribed from {sessionId}");
    });

    public static byte[] Snapshot(IReadOnlyList<TailRecord> latest) => Write(w =>
    {
        w.WriteString("type", "snapshot");
        w.WriteStartArray("data");
        foreach (var record in latest)
        {
            w.WriteStartObject();
            w.WriteString("sessionId", record.SessionId);
            w.WriteNumber("line", record.Line);
            w.WritePropertyName("record");
            w.WriteRawValue(record.Utf8, skipInputValidation: true);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    public static byte[] Sessions(IReadOnlyList<SessionInfo> sessions) => Write(w =>
    {
        w.WriteString("type", "sessions");
        w.WriteStartArray("sessions");
        foreach (var s in sessions)
        {
            w.WriteStartObject();
            w.WriteString("sessionId", s.SessionId);
            w.WriteString("file", s.File);
            w.WriteNumber("records", s.Records);
            w.WriteNumber("errors", s.Errors);
            w.WriteNumber("emergencies", s.Emergencies);
            w.WriteNumber("lastLine", s.LastLine);
            w.WriteNumber("buffered", s.Buffered);
            if (s.UpdatedAt is { } at) w.WriteString("updatedAt", at);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    public static byte[] Heartbeat() => Write(w =>
    {
        w.WriteString("type", "heartbeat");
        w.WriteString("serverTime", DateTimeOffset.UtcNow);
    });

    public static byte[] SessionStarted(string sessionId, string file) => Write(w =>
    {
        w.WriteString("type", "session_started");
        w.WriteString("sessionId", sessionId);
        w.WriteString("file", file);
    });

    public static byte[] SessionEnded(string sessionId, string reason) => Write(w =>
    {
        w.WriteString("type", "session_ended");
        w.WriteString("sessionId", sessionId);
        w.WriteString("message", reason);
    });

    /// <summary>Told to a client that could not keep up, before the next message it does get.</summary>
    public static byte[] Dropped(long records, long messages) => Write(w =>
    {
        w.WriteString("type", "dropped");
        w.WriteNumber("records", records);
        w.WriteNumber("messages", messages);
        w.WriteString("message", "Your queue was full: these were dropped. Read faster or subscribe with filters.");
    });

    private static void WriteSessionId(Utf8JsonWriter w, string? sessionId)
    {
        if (sessionId is null) w.WriteNull("sessionId");
        else w.WriteString("sessionId", sessionId);
    }

    private static byte[] Write(Action<Utf8JsonWriter> body, int sizeHint = 256)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
