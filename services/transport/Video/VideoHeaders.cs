using System.Globalization;
using Platform.Contracts.Subjects;
using Platform.Contracts.Wire;
using NATS.Client.Core;

namespace Platform.Transport.Video;

/// <summary>The VIDEO header of a frame from its NATS headers (Frame-Id, Pts, Codec, Keyframe, Capture-Ts).</summary>
public static class VideoHeaders
{
    public static bool TryRead(NatsHeaders? headers, int payloadLength, out VideoFrameHeader header, out string? error)
    {
        header = default;
        if (headers is null)
        {
            error = "no headers (expected Frame-Id, Pts, Codec, Keyframe, Capture-Ts)";
            return false;
        }
        var codec = headers[VideoHeaderNames.Codec].ToString() switch
        {
            VideoCodecNames.H264 => VideoCodecId.H264,
            VideoCodecNames.Jpeg => VideoCodecId.Jpeg,
            "hevc" => VideoCodecId.Hevc,
            _ => (VideoCodecId)0,
        };
        if (codec == 0)
        {
            error = $"unknown Codec '{headers[VideoHeaderNames.Codec]}' (expected h264 or jpeg)";
            return false;
        }
        if (!TryNumber(headers, VideoHeaderNames.FrameId, out var frameId, out error)) return false;
        if (!TryNumber(headers, VideoHeaderNames.Pts, out var pts, out error)) return false;
        // Capture-Ts is optional: without it the client cannot measure latency, but it can still show the frame.
        var captureTs = headers.ContainsKey(VideoHeaderNames.CaptureTs) && TryNumber(headers, VideoHeaderNames.CaptureTs, out var ts, out _) ? ts : 0;
        var keyframe = codec == VideoCodecId.Jpeg || string.Equals(headers[VideoHeaderNames.Keyframe].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        header = new VideoFrameHeader(codec, keyframe ? VideoFrameFlags.Keyframe : VideoFrameFlags.None, frameId, pts, captureTs, (uint)payloadLength);
        return true;
    }

    private static bool TryNumber(NatsHeaders headers, string name, out ulong value, out string? error)
    {
        var text = headers[name].ToString();
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = null;
            return true;
        }
        // A negative Pts (before the stream's origin) is carried as 0.
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed) && signed < 0)
        {
            value = 0;
            error = null;
            return true;
        }
        error = $"header {name} is '{text}', expected a decimal number";
        return false;
    }
}
