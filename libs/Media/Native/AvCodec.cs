using System.Runtime.InteropServices;

namespace Platform.Media.Native;

/// <summary>The libavcodec functions we bind (FFmpeg 5.1, libavcodec.so.59).</summary>
internal static partial class AvCodec
{
    internal const string Library = "avcodec";

    [LibraryImport(Library)]
    internal static partial uint avcodec_version();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint avcodec_find_encoder_by_name(string name);

    [LibraryImport(Library)]
    internal static partial nint avcodec_alloc_context3(nint codec);

    [LibraryImport(Library)]
    internal static partial void avcodec_free_context(ref nint context);

    [LibraryImport(Library)]
    internal static partial int avcodec_open2(nint context, nint codec, nint options);

    [LibraryImport(Library)]
    internal static partial int avcodec_send_frame(nint context, nint frame);

    [LibraryImport(Library)]
    internal static partial int avcodec_receive_packet(nint context, nint packet);

    [LibraryImport(Library)]
    internal static partial nint av_packet_alloc();

    [LibraryImport(Library)]
    internal static partial void av_packet_free(ref nint packet);

    [LibraryImport(Library)]
    internal static partial void av_packet_unref(nint packet);
}
