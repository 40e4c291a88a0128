using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Platform.Media.Native;

/// <summary>
/// Routes FFmpeg's log (av_log) through one callback: warnings and errors raised on a thread inside a
/// <see cref="Capture"/> scope are collected so that failures (e.g. h264_nvenc without a GPU) carry FFmpeg's own
/// reason; errors outside a scope go to stderr as FFmpeg's default callback would print them.
/// </summary>
internal static unsafe class FFmpegLog
{
    [ThreadStatic] private static List<string>? captured;

    internal static void Install() => AvUtil.av_log_set_callback(&OnLog);

    /// <summary>Collects this thread's FFmpeg warnings and errors until disposed.</summary>
    internal static CaptureScope Capture() => new(captured = []);

    [UnmanagedCallersOnly]
    private static void OnLog(nint avcl, int level, nint format, nint vaList)
    {
        if (level > AvUtil.LogWarning) return;
        var sink = captured;
        if (sink is null && level > AvUtil.LogError) return;
        const int size = 1024;
        var buffer = stackalloc byte[size];
        var printPrefix = 1;
        if (AvUtil.av_log_format_line2(avcl, level, format, vaList, buffer, size, &printPrefix) < 0) return;
        var line = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(buffer)).TrimEnd();
        if (line.Length == 0) return;
        if (sink is not null) sink.Add(line);
        else Console.Error.WriteLine($"[ffmpeg] {line}");
    }

    internal readonly struct CaptureScope(List<string> lines) : IDisposable
    {
        public IReadOnlyList<string> Lines => lines;

        /// <summary>The captured lines as one sentence for an exception message, or empty.</summary>
        public string Text => lines.Count == 0 ? string.Empty : $" FFmpeg said: {string.Join(" | ", lines.Distinct())}";

        public void Dispose() => captured = null;
    }
}
