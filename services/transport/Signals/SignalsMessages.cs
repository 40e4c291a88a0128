using System.Buffers;
using System.Text.Json;
using Platform.Contracts.Subjects;

namespace Platform.Transport.Signals;

/// <summary>The JSON text messages of <c>/ws/signals</c> (seed 001): <c>{"type": schema|ack|error|event, ...}</c>.</summary>
public static class SignalsMessages
{
    public static byte[] Schema(SimSchemaMessage schema) => Write("schema", w =>
    {
        w.WriteStartArray("modules");
        foreach (var m in schema.Modules) w.WriteStringValue(m);
        w.WriteEndArray();
        w.WriteStartArray("signals");
        foreach (var s in schema.Signals)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteString("module", s.Module);
            w.WriteString("unit", s.Unit);
            w.WriteBoolean("writable", s.Writable);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("physics_hz", schema.PhysicsHz);
        w.WriteNumber("telemetry_hz", schema.TelemetryHz);
    }, 4096);

    public static byte[] Ack(string action, long? cmdSeq, Action<Utf8JsonWriter>? extra = null) => Write("ack", w =>
    {
        w.WriteString("action", action);
        if (cmdSeq is { } seq) w.WriteNumber("cmd_seq", seq);
        extra?.Invoke(w);
    });

    public static byte[] Error(string message, string? action = null, long? cmdSeq = null) => Write("error", w =>
    {
        w.WriteString("message", message);
        if (action is not null) w.WriteString("action", action);
        if (cmdSeq is { } seq) w.WriteNumber("cmd_seq", seq);
    });

    public static byte[] Event(string name) => Write("event", w => w.WriteString("event", name));

    private static byte[] Write(string type, Action<Utf8JsonWriter> body, int sizeHint = 256)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
