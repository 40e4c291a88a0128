namespace Platform.Media.Native;

/// <summary>Typed access to the stable leading fields of an AVFrame we own (see <see cref="AvLayout"/>).</summary>
internal readonly unsafe struct AvFrame(nint pointer)
{
    public nint Pointer { get; } = pointer;

    private byte* Base => (byte*)Pointer;

    public byte* Data(int plane) => ((byte**)(Base + AvLayout.FrameData))[plane];

    public int Linesize(int plane) => ((int*)(Base + AvLayout.FrameLinesize))[plane];

    public int Width { get => *(int*)(Base + AvLayout.FrameWidth); set => *(int*)(Base + AvLayout.FrameWidth) = value; }

    public int Height { get => *(int*)(Base + AvLayout.FrameHeight); set => *(int*)(Base + AvLayout.FrameHeight) = value; }

    public int Format { get => *(int*)(Base + AvLayout.FrameFormat); set => *(int*)(Base + AvLayout.FrameFormat) = value; }

    public int PictType { get => *(int*)(Base + AvLayout.FramePictType); set => *(int*)(Base + AvLayout.FramePictType) = value; }

    public long Pts { get => *(long*)(Base + AvLayout.FramePts); set => *(long*)(Base + AvLayout.FramePts) = value; }

    /// <summary>Allocates a frame with its own buffers (av_frame_get_buffer) for a video format.</summary>
    public static AvFrame Allocate(int width, int height, int pixelFormat)
    {
        var frame = new AvFrame(AvUtil.av_frame_alloc());
        if (frame.Pointer == 0) throw new MediaException("av_frame_alloc returned NULL");
        frame.Width = width;
        frame.Height = height;
        frame.Format = pixelFormat;
        var result = AvUtil.av_frame_get_buffer(frame.Pointer, 0);
        if (result < 0)
        {
            var pointer = frame.Pointer;
            AvUtil.av_frame_free(ref pointer);
            throw new MediaException($"av_frame_get_buffer({width}x{height}, format {pixelFormat}) failed: {AvError.Describe(result)}");
        }
        return frame;
    }

    public void Free()
    {
        var pointer = Pointer;
        if (pointer != 0) AvUtil.av_frame_free(ref pointer);
    }
}
