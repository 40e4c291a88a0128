using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;
using Platform.Transport.Clients;
using Platform.Transport.Safety;
using Platform.Transport.Streaming;

namespace Platform.Transport.Video;

/// <summary>
/// <c>video.*.live</c> → 0x01 VIDEO messages for the stream's clients; frames of the gated stream also feed the
/// layer-2 video gate. A frame whose headers cannot be read is skipped (logged once per stream until one reads again).
/// </summary>
public sealed partial class VideoRelay(NatsSubscriptionLoop runner, StreamHub hub, VideoGateService gate, TransportMetrics metrics, ILogger<VideoRelay> logger) : BackgroundService
{
    public const string Subject = "video.*.live";
    private readonly ConcurrentDictionary<string, bool> _badHeaders = new(StringComparer.Ordinal);
    private long _frames;

    /// <summary>Frames relayed so far (all streams).</summary>
    public long Frames => Interlocked.Read(ref _frames);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => runner.RunAsync(Subject, OnFrameAsync, NatsSubscriptionOptions.Video, VideoMessageDeserializer.Instance, stoppingToken);

    private async ValueTask OnFrameAsync(NatsMsg<byte[]> msg)
    {
        var message = msg.Data;
        var stream = StreamOf(msg.Subject);
        if (message is null || stream is null) return;
        var payloadLength = message.Length - Contracts.Wire.VideoFrameHeader.MessagePrefixSize;
        var video = metrics.Stream(stream);
        if (!VideoHeaders.TryRead(msg.Headers, payloadLength, out var header, out var error))
        {
            video.UnreadableHeaders();
            if (_badHeaders.TryAdd(stream, true)) LogBadFrame(msg.Subject, error!);
            return;
        }
        var receivedAt = video.Received(header.CaptureTsUs);
        _badHeaders.TryRemove(stream, out _);
        header.WriteMessagePrefix(message);
        Interlocked.Increment(ref _frames);
        if (stream == gate.Gate.Stream && gate.Gate.OnFrame() is { } transition)
            await gate.ApplyAsync(transition).ConfigureAwait(false);
        hub.BroadcastVideo(stream, Outbound.Video(message, header.IsKeyframe, video, receivedAt));
    }

    private static string? StreamOf(string subject)
    {
        const string suffix = ".live";
        return subject.StartsWith(SubjectNames.VideoPrefix, StringComparison.Ordinal) && subject.EndsWith(suffix, StringComparison.Ordinal)
            && subject.Length > SubjectNames.VideoPrefix.Length + suffix.Length
            ? subject[SubjectNames.VideoPrefix.Length..^suffix.Length]
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping frames on {Subject}: {Error} (the encoder must send Frame-Id, Pts, Codec, Keyframe, Capture-Ts)")]
    private partial void LogBadFrame(string subject, string error);
}
