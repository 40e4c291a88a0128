using System.Buffers;
using System.Text.Json;
using Platform.Contracts.Wire;

namespace Platform.Transport.Streaming;

/// <summary>
/// The 0x02 messages of <c>/stream/ws</c> (server → client): type byte + JSON <c>{subject, data}</c>. Relayed NATS
/// messages carry their subject and their JSON payload as it is; the transport's own replies use subjects under
/// <c>transport.</c> and <c>session.</c> (see PROTOCOL.md).
/// </summary>
public static class StreamMessages
{
    public const string ErrorSubject = "transport.error";
    public const string SubscribedSubject = "transport.subscribed";
    public const string KeyframeRequestedSubject = "transport.keyframe_requested";
    public const string VideoUnavailableSubject = "transport.video_unavailable";
    public const string WelcomeSubject = "transport.welcome";
    public const string SessionTerminatedSubject = "session.terminated";

    /// <summary>A relayed NATS message; a payload that is not JSON is carried as a JSON string, an empty one as null.</summary>
    public static byte[] Relay(string subject, ReadOnlySpan<byte> payload)
    {
        var buffer = new ArrayBufferWriter<byte>(payload.Length + subject.Length + 32);
        buffer.GetSpan(1)[0] = (byte)StreamMessageType.Telemetry;
        buffer.Advance(1);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("subject", subject);
            if (payload.IsEmpty) writer.WriteNull("data");
            else if (IsJson(payload))
            {
                writer.WritePropertyName("data");
                writer.WriteRawValue(payload, skipInputValidation: true);
            }
            else writer.WriteString("data", System.Text.Encoding.UTF8.GetString(payload));
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{subject:"transport.error", data:{error, detail, ...}}</c>; <paramref name="action"/>/<paramref name="cmdSeq"/> name the command it answers.</summary>
    public static byte[] Error(string error, string detail, string? action = null, long? cmdSeq = null) => Write(ErrorSubject, w =>
    {
        w.WriteStartObject();
        w.WriteString("error", error);
        w.WriteString("detail", detail);
        if (action is not null) w.WriteString("action", action);
        if (cmdSeq is { } seq) w.WriteNumber("cmd_seq", seq);
        w.WriteEndObject();
    });

    public static byte[] Subscribed(IReadOnlyList<string> patterns) => Write(SubscribedSubject, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("subjects");
        foreach (var p in patterns) w.WriteStringValue(p);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>The answer to a client's <c>{keyframe: true}</c>: the request went to the encoder, or was folded into one just made.</summary>
    public static byte[] KeyframeRequested(string stream) => Write(KeyframeRequestedSubject, w =>
    {
        w.WriteStartObject();
        w.WriteString("stream", stream);
        w.WriteEndObject();
    });

    /// <summary>Why the client's stream has no video (the encoder's answer to a keyframe request, or that nobody answered).</summary>
    public static byte[] VideoUnavailable(string stream, string reason) => Write(VideoUnavailableSubject, w =>
    {
        w.WriteStartObject();
        w.WriteString("stream", stream);
        w.WriteString("reason", reason);
        w.WriteEndObject();
    });

    /// <summary>Sent first: who the transport takes this client to be.</summary>
    /// <summary>The first message; <paramref name="serverTimeUs"/> (Unix µs) lets the page align its clock with capture times.</summary>
    public static byte[] Welcome(string clientId, string session, string stream, IReadOnlyList<string> patterns, int maxMessageBytes, long serverTimeUs) => Write(WelcomeSubject, w =>
    {
        w.WriteStartObject();
        w.WriteString("client_id", clientId);
        w.WriteString("session", session);
        w.WriteString("stream", stream);
        w.WriteStartArray("subjects");
        foreach (var p in patterns) w.WriteStringValue(p);
        w.WriteEndArray();
        w.WriteNumber("max_message_bytes", maxMessageBytes);
        w.WriteNumber("server_time_us", serverTimeUs);
        w.WriteEndObject();
    });

    public static byte[] SessionTerminated(string reason, string? detail) => Write(SessionTerminatedSubject, w =>
    {
        w.WriteStartObject();
        w.WriteString("reason", reason);
        if (detail is null) w.WriteNull("detail");
        else w.WriteString("detail", detail);
        w.WriteEndObject();
    });

    private static bool IsJson(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read()) return false;
            reader.Skip();
            return !reader.Read(); // exactly one value
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[] Write(string subject, Action<Utf8JsonWriter> data, int sizeHint = 256)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        buffer.GetSpan(1)[0] = (byte)StreamMessageType.Telemetry;
        buffer.Advance(1);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("subject", subject);
            writer.WritePropertyName("data");
            data(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
