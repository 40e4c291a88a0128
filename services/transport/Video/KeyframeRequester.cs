using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Subjects;
using NATS.Client.Core;

namespace Platform.Transport.Video;

/// <summary>
/// Asks the encoder for a keyframe (<c>video.&lt;stream&gt;.control</c> {keyframe:true}) when a client waits for one,
/// at most once per <see cref="TransportOptions.KeyframeRequestInterval"/> per stream. Callers ask on every frame a
/// waiting client cannot take, so a request throttled here is made again on a later frame. No responders, a timeout or
/// an error reply is the stream's <see cref="Problem"/> (logged once per change, never fatal: the client keeps waiting
/// for the next keyframe), which viewers are told so that they can say why there is no video.
/// </summary>
public sealed partial class KeyframeRequester(INatsConnection nats, IOptions<TransportOptions> options, ILogger<KeyframeRequester> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, StreamState> _streams = new(StringComparer.Ordinal);
    private long _sent;

    /// <summary>Requests sent to the encoder so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>A stream's problem changed: why its video is unavailable, or null once the encoder serves it again.</summary>
    public event Action<string, string?>? ProblemChanged;

    /// <summary>Why the last request for <paramref name="stream"/> did not succeed, or null.</summary>
    public string? Problem(string stream) => _streams.TryGetValue(stream, out var state) ? Volatile.Read(ref state.Problem) : null;

    public void Request(string stream)
    {
        var state = _streams.GetOrAdd(stream, static _ => new StreamState());
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref state.LastRequest);
        if (last != 0 && _time.GetElapsedTime(last, now) < options.Value.KeyframeRequestInterval) return;
        if (Interlocked.CompareExchange(ref state.LastRequest, now, last) != last) return;
        Interlocked.Increment(ref _sent);
        _ = SendAsync(stream, state);
    }

    private async Task SendAsync(string stream, StreamState state)
    {
        var subject = SubjectNames.VideoControl(stream);
        var timeout = options.Value.KeyframeRequestTimeout;
        string? problem;
        try
        {
            var request = JsonSerializer.SerializeToUtf8Bytes(new VideoControlRequest(Keyframe: true, Reason: "transport: a client waits for a keyframe"), SubjectsJsonContext.Default.VideoControlRequest);
            var reply = await nats.RequestAsync<byte[], byte[]>(subject, request, replyOpts: new NatsSubOpts { Timeout = timeout }).ConfigureAwait(false);
            reply.EnsureSuccess();
            problem = reply.Data is { Length: > 0 } data && JsonSerializer.Deserialize(data, SubjectsJsonContext.Default.VideoControlReply)?.Error is { } error
                ? $"the encoder says: {error}"
                : null;
        }
        catch (NatsNoRespondersException)
        {
            problem = $"no encoder answers on {subject}: is the encoder running? (its state and logs are on the dashboard)";
        }
        catch (NatsNoReplyException)
        {
            problem = $"the encoder did not answer on {subject} within {timeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is NatsException or JsonException or OperationCanceledException or InvalidOperationException)
        {
            problem = $"keyframe request on {subject} failed: {ex.Message}";
        }
        var previous = Interlocked.Exchange(ref state.Problem, problem);
        if (previous == problem) return;
        if (problem is null) LogRecovered(subject);
        else LogFailed(subject, problem);
        ProblemChanged?.Invoke(stream, problem);
    }

    private sealed class StreamState
    {
        public long LastRequest;
        public string? Problem;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keyframe request on {Subject}: {Problem}. Viewers are told; waiting clients get the next keyframe the encoder sends")]
    private partial void LogFailed(string subject, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Keyframe requests on {Subject} are answered again")]
    private partial void LogRecovered(string subject);
}
