using System.Runtime.InteropServices;

namespace Platform.Media.Native;

/// <summary>The libswscale functions we bind (FFmpeg 5.1, libswscale.so.6).</summary>
internal static unsafe partial class SwScale
{
    internal const string Library = "swscale";

    /// <summary>SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP: exact colours on flat areas, no speed tricks that round twice.</summary>
    internal const int Flags = 0x2 | 0x40000 | 0x4000;

    [LibraryImport(Library)]
    internal static partial uint swscale_version();

    [LibraryImport(Library)]
    internal static partial nint sws_getContext(int srcW, int srcH, int srcFormat, int dstW, int dstH, int dstFormat, int flags, nint srcFilter, nint dstFilter, nint param);

    [LibraryImport(Library)]
    internal static partial int sws_scale(nint context, byte** srcSlice, int* srcStride, int srcSliceY, int srcSliceH, byte** dst, int* dstStride);

    [LibraryImport(Library)]
    internal static partial void sws_freeContext(nint context);
}
