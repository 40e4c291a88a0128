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
/// waiting client cannot take, so a request throttled here is made again on a later frame. A timeout or no
/// responders is logged (once per outage), never fatal: the client keeps waiting for the next keyframe.
/// </summary>
public sealed partial class KeyframeRequester(INatsConnection nats, IOptions<TransportOptions> options, ILogger<KeyframeRequester> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, StreamState> _streams = new(StringComparer.Ordinal);
    private long _sent;

    /// <summary>Requests sent to the encoder so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

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
        try
        {
            var request = JsonSerializer.SerializeToUtf8Bytes(new VideoControlRequest(Keyframe: true, Reason: "transport: a client waits for a keyframe"), SubjectsJsonContext.Default.VideoControlRequest);
            var reply = await nats.RequestAsync<byte[], byte[]>(subject, request,
                replyOpts: new NatsSubOpts { Timeout = options.Value.KeyframeRequestTimeout }).ConfigureAwait(false);
            reply.EnsureSuccess();
            if (Interlocked.Exchange(ref state.Failing, 0) == 1) LogRecovered(subject);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or InvalidOperationException)
        {
            if (Interlocked.Exchange(ref state.Failing, 1) == 0) LogFailed(subject, ex.Message);
        }
    }

    private sealed class StreamState
    {
        public long LastRequest;
        public int Failing;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keyframe request on {Subject} failed: {Error}. Waiting clients get the next keyframe the encoder sends (is the encoder running?)")]
    private partial void LogFailed(string subject, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Keyframe requests on {Subject} are answered again")]
    private partial void LogRecovered(string subject);
}
