using System.Buffers;
using Platform.Media.Native;

namespace Platform.Media;

/// <summary>
/// One libavcodec encoder session (libx264, h264_nvenc or mjpeg) fed with tightly packed I420 frames.
/// Not thread-safe: one caller at a time. Every H.264 keyframe it returns is SPS, PPS, IDR.
/// </summary>
public sealed unsafe class VideoEncoder : IDisposable
{
    private readonly VideoEncoderOptions settings;
    private readonly EncoderSetup.Family family;
    private readonly ParameterSetCache parameterSets = new();
    private readonly PtsMap pts;
    private nint context;
    private AvFrame frame;
    private nint packet;
    private bool flushed;

    private VideoEncoder(VideoEncoderOptions settings, EncoderSetup.Family family, nint context, AvFrame frame, nint packet)
    {
        this.settings = settings;
        this.family = family;
        this.context = context;
        this.frame = frame;
        this.packet = packet;
        pts = new PtsMap(settings.Fps);
        BitrateBps = settings.BitrateBps;
    }

    public string EncoderName => settings.EncoderName;

    public VideoCodec Codec => EncoderSetup.CodecOf(family);

    public EncoderProfile Profile => settings.Profile;

    public int Width => settings.Width;

    public int Height => settings.Height;

    public int Fps => settings.Fps;

    /// <summary>The target bitrate (H.264); mjpeg is quality-driven and ignores it.</summary>
    public long BitrateBps { get; private set; }

    /// <summary>Bytes of one tightly packed I420 input frame.</summary>
    public int FrameSize => settings.I420FrameSize;

    /// <summary>
    /// Opens an encoder session. Invalid settings throw <see cref="ArgumentException"/>; an encoder that is absent or
    /// refuses to open throws <see cref="MediaException"/> naming the encoder, the step and FFmpeg's own reason.
    /// </summary>
    public static VideoEncoder Open(VideoEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        FFmpegLibrary.EnsureLoaded();
        var family = EncoderSetup.FamilyOf(options.EncoderName);
        var codec = AvCodec.avcodec_find_encoder_by_name(options.EncoderName);
        if (codec == 0)
        {
            throw new MediaException($"Encoder {options.EncoderName} is not part of this libavcodec ({FFmpegLibrary.Describe()}); " +
                "pick another encoder (libx264, mjpeg) or install an FFmpeg build that has it.");
        }

        var context = AvCodec.avcodec_alloc_context3(codec);
        if (context == 0) throw new MediaException("avcodec_alloc_context3 returned NULL");
        var frame = default(AvFrame);
        var packet = (nint)0;
        try
        {
            using (var log = FFmpegLog.Capture())
            {
                EncoderSetup.Apply(new CodecOptions(context, options.EncoderName), family, options);
                var opened = AvCodec.avcodec_open2(context, codec, 0);
                if (opened < 0)
                {
                    throw new MediaException($"Encoder {options.EncoderName} could not be opened for {EncoderSetup.Describe(options)}: " +
                        $"{AvError.Describe(opened)}.{log.Text} Use another encoder (e.g. libx264 or mjpeg) or fix the settings.");
                }
            }
            var pixelFormat = AvUtil.av_get_pix_fmt(family == EncoderSetup.Family.Mjpeg ? "yuvj420p" : "yuv420p");
            frame = AvFrame.Allocate(options.Width, options.Height, pixelFormat);
            packet = AvCodec.av_packet_alloc();
            if (packet == 0) throw new MediaException("av_packet_alloc returned NULL");
            return new VideoEncoder(options, family, context, frame, packet);
        }
        catch
        {
            if (packet != 0) AvCodec.av_packet_free(ref packet);
            frame.Free();
            AvCodec.avcodec_free_context(ref context);
            throw;
        }
    }

    /// <summary>
    /// Encodes one tightly packed I420 frame (<see cref="FrameSize"/> bytes, else <see cref="ArgumentException"/>) and
    /// appends the access units that came out (zero or more, in order) to <paramref name="output"/>; the caller disposes them.
    /// <paramref name="forceKeyframe"/> makes this frame an IDR with SPS and PPS in front (a JPEG always is one).
    /// </summary>
    public void Encode(ReadOnlySpan<byte> i420, long ptsUs, bool forceKeyframe, ICollection<EncodedAccessUnit> output)
    {
        ObjectDisposedException.ThrowIf(context == 0, this);
        ArgumentNullException.ThrowIfNull(output);
        if (i420.Length != FrameSize)
        {
            throw new ArgumentException(
                $"An I420 frame of {Width}x{Height} is {FrameSize} bytes (Width*Height*3/2), got {i420.Length}.", nameof(i420));
        }
        if (flushed) throw new InvalidOperationException($"Encoder {EncoderName} was flushed; open a new session to encode more frames.");

        var writable = AvUtil.av_frame_make_writable(frame.Pointer);
        if (writable < 0) throw new MediaException($"Encoder {EncoderName}: av_frame_make_writable failed: {AvError.Describe(writable)}.");
        CopyPlanes(i420);
        frame.Pts = pts.ToTick(ptsUs);
        frame.PictType = forceKeyframe ? AvLayout.PictureTypeI : AvLayout.PictureTypeNone;

        var sent = AvCodec.avcodec_send_frame(context, frame.Pointer);
        if (sent < 0) throw new MediaException($"Encoder {EncoderName} rejected the frame at pts {ptsUs} us: {AvError.Describe(sent)}.");
        Drain(output);
    }

    /// <summary>
    /// Changes the target bitrate of the running session (and the VBV that follows from it). libx264 and h264_nvenc
    /// pick the new rate up on the next frame; mjpeg has no bitrate.
    /// </summary>
    public void SetBitrate(long bitrateBps)
    {
        ObjectDisposedException.ThrowIf(context == 0, this);
        if (bitrateBps is < 10_000 or > 1_000_000_000) throw new ArgumentOutOfRangeException(nameof(bitrateBps), bitrateBps, "Between 10 kbps and 1 Gbps.");
        if (Codec == VideoCodec.H264) EncoderSetup.SetRate(new CodecOptions(context, EncoderName), settings, bitrateBps);
        BitrateBps = bitrateBps;
    }

    /// <summary>Drains the frames the encoder still holds; the session takes no more frames afterwards.</summary>
    public void Flush(ICollection<EncodedAccessUnit> output)
    {
        ObjectDisposedException.ThrowIf(context == 0, this);
        ArgumentNullException.ThrowIfNull(output);
        if (flushed) return;
        flushed = true;
        var sent = AvCodec.avcodec_send_frame(context, 0);
        if (sent < 0 && sent != AvError.EndOfFile) throw new MediaException($"Encoder {EncoderName} could not be flushed: {AvError.Describe(sent)}.");
        Drain(output);
    }

    public void Dispose()
    {
        if (context == 0) return;
        AvCodec.av_packet_free(ref packet);
        frame.Free();
        frame = default;
        AvCodec.avcodec_free_context(ref context);
    }

    private void CopyPlanes(ReadOnlySpan<byte> i420)
    {
        var lumaSize = Width * Height;
        var chromaWidth = Width / 2;
        var chromaHeight = Height / 2;
        CopyPlane(i420[..lumaSize], Width, Height, 0);
        CopyPlane(i420.Slice(lumaSize, chromaWidth * chromaHeight), chromaWidth, chromaHeight, 1);
        CopyPlane(i420.Slice(lumaSize + chromaWidth * chromaHeight, chromaWidth * chromaHeight), chromaWidth, chromaHeight, 2);
    }

    private void CopyPlane(ReadOnlySpan<byte> source, int width, int height, int plane)
    {
        var destination = frame.Data(plane);
        var stride = frame.Linesize(plane);
        if (stride == width)
        {
            source.CopyTo(new Span<byte>(destination, width * height));
            return;
        }
        for (var row = 0; row < height; row++)
        {
            source.Slice(row * width, width).CopyTo(new Span<byte>(destination + (long)row * stride, width));
        }
    }

    private void Drain(ICollection<EncodedAccessUnit> output)
    {
        while (true)
        {
            var received = AvCodec.avcodec_receive_packet(context, packet);
            if (received == AvError.Again || received == AvError.EndOfFile) return;
            if (received < 0) throw new MediaException($"Encoder {EncoderName} failed to produce a packet: {AvError.Describe(received)}.");
            try
            {
                output.Add(ToAccessUnit(new AvPacket(packet)));
            }
            finally
            {
                AvCodec.av_packet_unref(packet);
            }
        }
    }

    private EncodedAccessUnit ToAccessUnit(AvPacket encoded)
    {
        var data = encoded.Data;
        var ptsUs = pts.ToMicroseconds(encoded.Pts);
        if (Codec == VideoCodec.Jpeg) return Rent(data, [], ptsUs, keyframe: true);

        parameterSets.Remember(data);
        var hasIdr = AnnexB.Contains(data, NalUnitType.Idr);
        if (hasIdr && !AnnexB.IsKeyframe(data) && parameterSets.HasBoth)
        {
            // An IDR without in-band SPS/PPS: put the last ones in front, since browsers need them on every IDR.
            return Rent(data, parameterSets.Prefix, ptsUs, keyframe: true);
        }
        return Rent(data, [], ptsUs, keyframe: hasIdr);
    }

    private EncodedAccessUnit Rent(ReadOnlySpan<byte> data, ReadOnlySpan<byte> prefix, long pts, bool keyframe)
    {
        var length = prefix.Length + data.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        prefix.CopyTo(buffer);
        data.CopyTo(buffer.AsSpan(prefix.Length));
        return new EncodedAccessUnit(buffer, length, pts, keyframe, Codec);
    }
}
