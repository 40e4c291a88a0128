using System.Runtime.InteropServices;
using Platform.Media.Native;

namespace Platform.Media;

/// <summary>
/// The FFmpeg 5.1 libraries (libavcodec 59, libavutil 57, libswscale 6) bound at run time. Every entry point of
/// this assembly calls <see cref="EnsureLoaded"/> first; call it at startup to fail early with a clear message.
/// </summary>
public static class FFmpegLibrary
{
    private static readonly Lock Gate = new();
    private static FFmpegNativeLoader.LoadedLibraries? loaded;

    /// <summary>Loads and version-checks the libraries once; throws <see cref="MediaLibraryException"/> naming the Debian packages.</summary>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref loaded) is not null) return;
        lock (Gate)
        {
            if (loaded is not null) return;
            var libraries = new FFmpegNativeLoader(directory: null).Load();
            NativeLibrary.SetDllImportResolver(typeof(FFmpegLibrary).Assembly,
                (name, _, _) => libraries.Resolve(name));
            FFmpegLog.Install();
            Volatile.Write(ref loaded, libraries);
        }
    }

    /// <summary>The loaded versions, e.g. "libavutil 57.28.100, libswscale 6.7.100, libavcodec 59.37.100".</summary>
    public static string Describe()
    {
        EnsureLoaded();
        return loaded!.Description;
    }

    /// <summary>Whether this libavcodec build has an encoder of that name (it may still fail to open, e.g. h264_nvenc without a GPU).</summary>
    public static bool IsEncoderAvailable(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        EnsureLoaded();
        return AvCodec.avcodec_find_encoder_by_name(name) != 0;
    }
}
