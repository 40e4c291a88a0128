using System.Runtime.InteropServices;

namespace Platform.Media.Native;

/// <summary>
/// Loads libavutil, libswscale and libavcodec (FFmpeg 5.1 sonames) from the default search path or from one
/// directory, and checks their major versions before anything is called through P/Invoke.
/// </summary>
internal sealed unsafe class FFmpegNativeLoader(string? directory)
{
    internal const string InstallHint =
        "Install the Debian packages libavcodec59 libavutil57 libswscale6 (or `apt-get install ffmpeg`; eng/install-deps.sh does it).";

    internal static readonly IReadOnlyList<NativeLibrarySpec> Libraries =
    [
        new(AvUtil.Library, "libavutil.so.57", 57, "avutil_version", "libavutil57"),
        new(SwScale.Library, "libswscale.so.6", 6, "swscale_version", "libswscale6"),
        new(AvCodec.Library, "libavcodec.so.59", 59, "avcodec_version", "libavcodec59"),
    ];

    private static string Expected => string.Join(", ", Libraries.Select(l => $"{l.FileName} (major {l.Major})"));

    /// <summary>Loads all three libraries or throws <see cref="MediaLibraryException"/>; frees what it loaded on failure.</summary>
    public LoadedLibraries Load()
    {
        var handles = new Dictionary<string, nint>();
        var versions = new List<string>();
        try
        {
            foreach (var library in Libraries)
            {
                var path = directory is null ? library.FileName : Path.Combine(directory, library.FileName);
                if (!NativeLibrary.TryLoad(path, out var handle))
                {
                    throw new MediaLibraryException(
                        $"FFmpeg library {library.FileName} could not be loaded from {(directory is null ? "the default library path" : directory)}. " +
                        $"{InstallHint} Expected: {Expected}.");
                }
                handles[library.ImportName] = handle;
                var version = ReadVersion(handle, library);
                if (version >> 16 != library.Major)
                {
                    throw new MediaLibraryException(
                        $"{library.FileName} reports version {FormatVersion(version)}, but this code binds FFmpeg 5.1 ABIs " +
                        $"(major {library.Major}). {InstallHint} Expected: {Expected}.");
                }
                versions.Add($"{library.FileName.Split('.')[0]} {FormatVersion(version)}");
            }
            return new LoadedLibraries(handles, string.Join(", ", versions));
        }
        catch
        {
            foreach (var handle in handles.Values) NativeLibrary.Free(handle);
            throw;
        }
    }

    private static uint ReadVersion(nint handle, NativeLibrarySpec library)
    {
        if (!NativeLibrary.TryGetExport(handle, library.VersionExport, out var export))
        {
            throw new MediaLibraryException($"{library.FileName} has no {library.VersionExport} export; it is not an FFmpeg library. {InstallHint}");
        }
        return ((delegate* unmanaged<uint>)export)();
    }

    private static string FormatVersion(uint version) => $"{version >> 16}.{(version >> 8) & 0xFF}.{version & 0xFF}";

    internal sealed record NativeLibrarySpec(string ImportName, string FileName, int Major, string VersionExport, string DebianPackage);

    /// <summary>Loaded handles by DllImport name, for the assembly's import resolver.</summary>
    internal sealed class LoadedLibraries(IReadOnlyDictionary<string, nint> handles, string description)
    {
        public string Description { get; } = description;

        public nint Resolve(string libraryName) => handles.TryGetValue(libraryName, out var handle) ? handle : 0;
    }
}
