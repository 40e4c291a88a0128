using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Platform.Contracts.Subjects;
using NATS.Client.Core;

namespace Platform.Transport.Tests;

/// <summary>
/// Stands in for the encoder on a real NATS: publishes access units on <c>video.&lt;stream&gt;.live</c> with the
/// encoder's headers (a keyframe every <c>keyframeEvery</c> frames, and the next frame after a keyframe request it
/// answers on <c>video.&lt;stream&gt;.control</c>). Each payload starts with its frame id and its publish timestamp
/// (Stopwatch ticks, u64 LE) so receivers in this process can check order and measure latency.
/// </summary>
public sealed class VideoPublisher : IAsyncDisposable
{
    private readonly INatsConnection _nats;
    private readonly string _stream;
    private readonly int _keyframeEvery;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _control;
    private int _forceKeyframe;
    private ulong _frameId;
    private int _keyframeRequests;

    private VideoPublisher(INatsConnection nats, string stream, int keyframeEvery, INatsSub<byte[]> control)
    {
        _nats = nats;
        _stream = stream;
        _keyframeEvery = keyframeEvery;
        _control = AnswerAsync(control);
    }

    public int KeyframeRequests => Volatile.Read(ref _keyframeRequests);
    public ulong LastFrameId => _frameId;

    public static async Task<VideoPublisher> StartAsync(INatsConnection nats, string stream = "main", int keyframeEvery = 30)
    {
        var control = await nats.SubscribeCoreAsync<byte[]>(SubjectNames.VideoControl(stream));
        return new VideoPublisher(nats, stream, keyframeEvery, control);
    }

    /// <summary>Publishes the next frame; returns its id and whether it is a keyframe.</summary>
    public async Task<(ulong FrameId, bool Keyframe)> PublishAsync(int payloadBytes)
    {
        var id = ++_frameId;
        var keyframe = Interlocked.Exchange(ref _forceKeyframe, 0) == 1 || (id - 1) % (ulong)_keyframeEvery == 0;
        var payload = new byte[Math.Max(16, payloadBytes)];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, id);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(8), Stopwatch.GetTimestamp());
        var headers = new NatsHeaders
        {
            [VideoHeaderNames.FrameId] = id.ToString(CultureInfo.InvariantCulture),
            [VideoHeaderNames.Pts] = (id * 33_333).ToString(CultureInfo.InvariantCulture),
            [VideoHeaderNames.Codec] = VideoCodecNames.H264,
            [VideoHeaderNames.Keyframe] = keyframe ? "true" : "false",
            [VideoHeaderNames.CaptureTs] = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000).ToString(CultureInfo.InvariantCulture),
        };
        await _nats.PublishAsync(SubjectNames.VideoLive(_stream), payload, headers);
        return (id, keyframe);
    }

    /// <summary>Publishes <paramref name="count"/> frames paced at <paramref name="fps"/> (on schedule, not sleep-after-send).</summary>
    public async Task<List<(ulong FrameId, bool Keyframe)>> RunAsync(int count, double fps, int payloadBytes, CancellationToken cancellationToken = default)
    {
        var sent = new List<(ulong, bool)>(count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / fps) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
            sent.Add(await PublishAsync(payloadBytes));
        }
        return sent;
    }

    /// <summary>Reads the frame id and the publish timestamp back from a VIDEO message's payload.</summary>
    public static (ulong FrameId, long PublishedAt) Stamp(ReadOnlySpan<byte> videoMessage)
        => (BinaryPrimitives.ReadUInt64LittleEndian(videoMessage[33..]), BinaryPrimitives.ReadInt64LittleEndian(videoMessage[41..]));

    private async Task AnswerAsync(INatsSub<byte[]> control)
    {
        try
        {
            await foreach (var msg in control.Msgs.ReadAllAsync(_stop.Token))
            {
                var request = JsonSerializer.Deserialize(msg.Data ?? [], SubjectsJsonContext.Default.VideoControlRequest);
                if (request?.Keyframe != true) continue;
                Interlocked.Increment(ref _keyframeRequests);
                Interlocked.Exchange(ref _forceKeyframe, 1);
                if (!string.IsNullOrEmpty(msg.ReplyTo))
                    await msg.ReplyAsync(JsonSerializer.SerializeToUtf8Bytes(new VideoControlReply(KeyframeAccepted: true, FrameId: _frameId + 1), SubjectsJsonContext.Default.VideoControlReply));
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await control.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _control;
        _stop.Dispose();
    }
}
