using System.Runtime.InteropServices;
using Platform.Media.Native;

namespace Platform.Media;

/// <summary>
/// Converts NV12, RGB24 or BGRA frames to tightly packed I420 of the same size with libswscale (BT.601, limited range,
/// what the H.264 encoders expect). Reuses one swscale context; not thread-safe.
/// </summary>
public sealed unsafe class FrameConverter : IDisposable
{
    private nint context;

    public FrameConverter(RawPixelFormat format, int width, int height)
    {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0)
            throw new ArgumentException($"Width and height must be positive and even, got {width}x{height}.");
        FFmpegLibrary.EnsureLoaded();
        Format = format;
        Width = width;
        Height = height;
        var source = AvUtil.av_get_pix_fmt(format switch
        {
            RawPixelFormat.Nv12 => "nv12",
            RawPixelFormat.Rgb24 => "rgb24",
            RawPixelFormat.Bgra => "bgra",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        });
        context = SwScale.sws_getContext(width, height, source, width, height, AvUtil.av_get_pix_fmt("yuv420p"), SwScale.Flags, 0, 0, 0);
        if (context == 0) throw new MediaException($"libswscale cannot convert {format} {width}x{height} to I420 (sws_getContext returned NULL).");
    }

    public RawPixelFormat Format { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes of one tightly packed source frame.</summary>
    public int SourceFrameSize => Format switch
    {
        RawPixelFormat.Nv12 => Width * Height * 3 / 2,
        RawPixelFormat.Rgb24 => Width * Height * 3,
        _ => Width * Height * 4,
    };

    /// <summary>Bytes of one tightly packed I420 frame.</summary>
    public int I420FrameSize => Width * Height * 3 / 2;

    /// <summary>Converts one tightly packed source frame into <paramref name="i420"/>; sizes must match exactly.</summary>
    public void Convert(ReadOnlySpan<byte> source, Span<byte> i420)
    {
        ObjectDisposedException.ThrowIf(context == 0, this);
        if (source.Length != SourceFrameSize)
            throw new ArgumentException($"A {Format} frame of {Width}x{Height} is {SourceFrameSize} bytes, got {source.Length}.", nameof(source));
        if (i420.Length != I420FrameSize)
            throw new ArgumentException($"An I420 frame of {Width}x{Height} is {I420FrameSize} bytes, got {i420.Length}.", nameof(i420));

        fixed (byte* src = source)
        fixed (byte* dst = i420)
        {
            var srcPlanes = stackalloc byte*[4] { null, null, null, null };
            var srcStrides = stackalloc int[4] { 0, 0, 0, 0 };
            var dstPlanes = stackalloc byte*[4] { null, null, null, null };
            var dstStrides = stackalloc int[4] { 0, 0, 0, 0 };
            DescribeSource(src, sourceStride: SourceRowBytes, srcPlanes, srcStrides);
            DescribeI420(dst, Width, Width / 2, dstPlanes, dstStrides);
            if (IsAligned(srcPlanes, srcStrides) && IsAligned(dstPlanes, dstStrides))
            {
                Scale(srcPlanes, srcStrides, dstPlanes, dstStrides);
                return;
            }

            // libswscale's SIMD stores assume 16/32-byte aligned rows (a misaligned managed array crashes it), so
            // unaligned frames go through padded, aligned buffers of this converter.
            EnsureBounceBuffers();
            var paddedSource = Pad(SourceRowBytes);
            DescribeSource(bounceSource, paddedSource, srcPlanes, srcStrides);
            CopyRows(src, SourceRowBytes, bounceSource, paddedSource, SourceRows);
            DescribeI420(bounceI420, Pad(Width), Pad(Width / 2), dstPlanes, dstStrides);
            Scale(srcPlanes, srcStrides, dstPlanes, dstStrides);
            var packedPlanes = stackalloc byte*[4] { null, null, null, null };
            var packedStrides = stackalloc int[4] { 0, 0, 0, 0 };
            DescribeI420(dst, Width, Width / 2, packedPlanes, packedStrides);
            CopyRows(dstPlanes[0], dstStrides[0], packedPlanes[0], Width, Height);
            CopyRows(dstPlanes[1], dstStrides[1], packedPlanes[1], Width / 2, Height / 2);
            CopyRows(dstPlanes[2], dstStrides[2], packedPlanes[2], Width / 2, Height / 2);
        }
    }

    private const int Alignment = 64;

    private byte* bounceSource;
    private byte* bounceI420;

    private int SourceRowBytes => Format switch
    {
        RawPixelFormat.Nv12 => Width,
        RawPixelFormat.Rgb24 => Width * 3,
        _ => Width * 4,
    };

    /// <summary>Rows of the source as one run (NV12: luma rows, then the interleaved chroma rows).</summary>
    private int SourceRows => Format == RawPixelFormat.Nv12 ? Height * 3 / 2 : Height;

    private static int Pad(int bytes) => (bytes + Alignment - 1) / Alignment * Alignment;

    private void DescribeSource(byte* source, int sourceStride, byte** planes, int* strides)
    {
        planes[0] = source;
        strides[0] = sourceStride;
        if (Format != RawPixelFormat.Nv12) return;
        planes[1] = source + (long)sourceStride * Height;
        strides[1] = sourceStride;
    }

    private void DescribeI420(byte* i420, int lumaStride, int chromaStride, byte** planes, int* strides)
    {
        planes[0] = i420;
        planes[1] = i420 + (long)lumaStride * Height;
        planes[2] = planes[1] + (long)chromaStride * (Height / 2);
        strides[0] = lumaStride;
        strides[1] = chromaStride;
        strides[2] = chromaStride;
    }

    private static bool IsAligned(byte** planes, int* strides)
    {
        for (var i = 0; i < 4 && planes[i] != null; i++)
        {
            if ((nuint)planes[i] % Alignment != 0 || strides[i] % Alignment != 0) return false;
        }
        return true;
    }

    private void Scale(byte** srcPlanes, int* srcStrides, byte** dstPlanes, int* dstStrides)
    {
        var rows = SwScale.sws_scale(context, srcPlanes, srcStrides, 0, Height, dstPlanes, dstStrides);
        if (rows != Height) throw new MediaException($"sws_scale converted {rows} of {Height} rows of a {Format} frame.");
    }

    private static void CopyRows(byte* from, int fromStride, byte* to, int toStride, int rows)
    {
        var width = Math.Min(fromStride, toStride);
        for (var row = 0; row < rows; row++)
        {
            new ReadOnlySpan<byte>(from + (long)row * fromStride, width).CopyTo(new Span<byte>(to + (long)row * toStride, width));
        }
    }

    private void EnsureBounceBuffers()
    {
        if (bounceSource != null) return;
        bounceSource = (byte*)NativeMemory.AlignedAlloc((nuint)((long)Pad(SourceRowBytes) * SourceRows), Alignment);
        bounceI420 = (byte*)NativeMemory.AlignedAlloc((nuint)((long)Pad(Width) * Height + 2L * Pad(Width / 2) * (Height / 2)), Alignment);
    }

    public void Dispose()
    {
        if (context == 0) return;
        SwScale.sws_freeContext(context);
        context = 0;
        NativeMemory.AlignedFree(bounceSource);
        NativeMemory.AlignedFree(bounceI420);
        bounceSource = null;
        bounceI420 = null;
    }
}
