using System.Globalization;

namespace Platform.Media.Native;

/// <summary>How each encoder family is configured for the profiles of ARCHITECTURE.md section 9, all through AVOptions.</summary>
internal static class EncoderSetup
{
    internal enum Family { X264, Nvenc, OtherH264, Mjpeg }

    internal static Family FamilyOf(string encoderName) => encoderName switch
    {
        "libx264" => Family.X264,
        "h264_nvenc" => Family.Nvenc,
        "mjpeg" => Family.Mjpeg,
        _ when encoderName.Contains("264", StringComparison.Ordinal) => Family.OtherH264,
        _ => throw new MediaException(
            $"Encoder {encoderName} is not supported: use libx264, h264_nvenc, another H.264 encoder (h264_*), or mjpeg."),
    };

    internal static VideoCodec CodecOf(Family family) => family == Family.Mjpeg ? VideoCodec.Jpeg : VideoCodec.H264;

    internal static void Apply(CodecOptions options, Family family, VideoEncoderOptions settings)
    {
        var live = settings.Profile == EncoderProfile.Live;
        options.Set("video_size", $"{settings.Width}x{settings.Height}");
        options.Set("pixel_format", family == Family.Mjpeg ? "yuvj420p" : "yuv420p");
        // One tick per frame: encoders derive their frame rate (and so the bits per frame) from the time base.
        options.Set("time_base", $"1/{settings.Fps}");
        options.Set("threads", settings.Threads);

        if (family == Family.Mjpeg)
        {
            // A constant quantiser through the rate controller's bounds (no per-frame quality field needed).
            options.Set("qmin", settings.JpegQuality);
            options.Set("qmax", settings.JpegQuality);
            return;
        }

        options.Set("bf", 0);
        options.Set("qmin", settings.QpMin);
        options.Set("qmax", settings.QpMax);
        options.Set("g", settings.EffectiveKeyframeInterval);
        SetRate(options, settings, settings.BitrateBps);

        switch (family)
        {
            case Family.X264:
                options.SetPrivate("preset", settings.Preset ?? (live ? "ultrafast" : "veryfast"));
                options.SetPrivate("tune", "zerolatency");
                options.SetPrivate("profile", live ? "baseline" : "main");
                options.SetPrivate("forced-idr", "1");
                // zerolatency picks sliced threads; thread_type "frame" switches x264 to frame threads (checked in the SEI x264 writes).
                options.Set("thread_type", settings.Threading == EncoderThreading.Slices ? "slice" : "frame");
                if (live)
                {
                    // Rolling intra refresh over g frames instead of periodic IDRs; x264 then emits IDRs only when forced.
                    options.SetPrivate("intra-refresh", "1");
                }
                else
                {
                    options.Set("keyint_min", settings.EffectiveKeyframeInterval);
                }
                // SPS/PPS in front of every IDR; no scene-cut I-frames (live recovers by intra refresh, record keeps a fixed GOP).
                options.SetPrivate("x264-params", "repeat-headers=1:scenecut=0");
                break;
            case Family.Nvenc:
                options.SetPrivate("preset", settings.Preset ?? "p4");
                options.SetPrivate("tune", "ull");
                options.SetPrivate("zerolatency", "1");
                options.SetPrivate("rc", "cbr");
                options.SetPrivate("forced-idr", "1");
                options.SetPrivate("profile", live ? "baseline" : "main");
                if (live) options.SetPrivate("intra-refresh", "1");
                break;
            case Family.OtherH264:
                if (settings.Preset is not null) options.SetPrivate("preset", settings.Preset);
                break;
        }
    }

    /// <summary>Bitrate and VBV: live keeps a VBV of one frame (bufsize = bitrate / fps, maxrate = bitrate); record one second.</summary>
    internal static void SetRate(CodecOptions options, VideoEncoderOptions settings, long bitrateBps)
    {
        options.Set("b", bitrateBps);
        options.Set("maxrate", bitrateBps);
        var bufferBits = settings.Profile == EncoderProfile.Live ? bitrateBps / settings.Fps : bitrateBps;
        options.Set("bufsize", Math.Min(bufferBits, int.MaxValue));
    }

    internal static string Describe(VideoEncoderOptions settings) => string.Create(CultureInfo.InvariantCulture,
        $"{settings.EncoderName} {settings.Profile} {settings.Width}x{settings.Height}@{settings.Fps} {settings.BitrateBps} bps");
}
