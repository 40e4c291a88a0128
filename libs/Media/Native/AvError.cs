using System.Text;

namespace Platform.Media.Native;

/// <summary>AVERROR codes we branch on, and their text.</summary>
internal static unsafe class AvError
{
    /// <summary>AVERROR(EAGAIN) on Linux: the encoder wants more input before it has a packet.</summary>
    internal const int Again = -11;

    /// <summary>AVERROR_EOF = -MKTAG('E','O','F',' '): the encoder is drained.</summary>
    internal const int EndOfFile = -('E' | ('O' << 8) | ('F' << 16) | (' ' << 24));

    /// <summary>AVERROR_OPTION_NOT_FOUND = -MKTAG(0xF8,'O','P','T').</summary>
    internal const int OptionNotFound = -(0xF8 | ('O' << 8) | ('P' << 16) | ('T' << 24));

    internal static string Describe(int error)
    {
        var buffer = stackalloc byte[128];
        if (AvUtil.av_strerror(error, buffer, 128) < 0) return $"error {error}";
        return $"{Encoding.UTF8.GetString(new ReadOnlySpan<byte>(buffer, 128).TrimEnd((byte)0))} ({error})";
    }
}
