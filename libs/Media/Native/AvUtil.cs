using System.Runtime.InteropServices;

namespace Platform.Media.Native;

/// <summary>The libavutil functions we bind (FFmpeg 5.1, libavutil.so.57).</summary>
internal static unsafe partial class AvUtil
{
    internal const string Library = "avutil";

    /// <summary>av_opt_* flag: look in the object's children (the codec's private options) too.</summary>
    internal const int OptSearchChildren = 1;

    internal const int LogQuiet = -8;
    internal const int LogError = 16;
    internal const int LogWarning = 24;

    [LibraryImport(Library)]
    internal static partial uint avutil_version();

    [LibraryImport(Library)]
    internal static partial nint av_frame_alloc();

    [LibraryImport(Library)]
    internal static partial void av_frame_free(ref nint frame);

    [LibraryImport(Library)]
    internal static partial int av_frame_get_buffer(nint frame, int align);

    [LibraryImport(Library)]
    internal static partial int av_frame_make_writable(nint frame);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int av_opt_set(nint obj, string name, string value, int searchFlags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int av_opt_set_int(nint obj, string name, long value, int searchFlags);

    /// <summary>The next child of an AVOptions-enabled object; for a codec context, its private (encoder) options object.</summary>
    [LibraryImport(Library)]
    internal static partial nint av_opt_child_next(nint obj, nint previous);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int av_get_pix_fmt(string name);

    [LibraryImport(Library)]
    internal static partial int av_strerror(int errnum, byte* buffer, nuint size);

    [LibraryImport(Library)]
    internal static partial void av_log_set_level(int level);

    [LibraryImport(Library)]
    internal static partial void av_log_set_callback(delegate* unmanaged<nint, int, nint, nint, void> callback);

    [LibraryImport(Library)]
    internal static partial int av_log_format_line2(nint avcl, int level, nint format, nint vaList, byte* line, int lineSize, int* printPrefix);
}
