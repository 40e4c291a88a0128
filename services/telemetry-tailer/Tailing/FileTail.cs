using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>What a <see cref="FileTail.Read"/> found.</summary>
public enum FileChange
{
    None,
    /// <summary>The file is shorter than what was read: it was truncated, reading starts again at 0.</summary>
    Truncated,
    /// <summary>Another file now has the name (rotation by rename): reading starts again at 0.</summary>
    Replaced,
    /// <summary>The file is gone.</summary>
    Missing,
}

/// <summary>
/// Incremental reader of one growing file. Each <see cref="Read"/> opens the file, checks its identity and length,
/// and reads only the bytes after the last offset with positional reads into a pooled buffer. A partial last line
/// stays in the buffer until its newline arrives; a line over the limit is skipped without being buffered.
/// Between reads of an idle file no buffer is held.
/// </summary>
public sealed class FileTail(string path, int maxLineBytes) : IDisposable
{
    private const int ChunkBytes = 64 * 1024;
    private byte[]? _buffer;
    private int _pending;          // bytes of an incomplete line at the start of _buffer
    private bool _discarding;      // inside a line over the limit (or, after StartNearEnd, a line cut by the start)
    private bool _reportDiscarded; // whether the discarded line is reported when its newline comes
    private long _discardedBytes;
    private (ulong, ulong)? _identity;

    public string Path { get; } = path;

    /// <summary>Offset of the next byte to read.</summary>
    public long Offset { get; private set; }

    /// <summary>Number of complete lines before <see cref="Offset"/> (less the pending partial line).</summary>
    public long LineNumber { get; private set; }

    public int PendingBytes => _pending;

    /// <summary>Buffer bytes held (0 between reads unless a partial line waits).</summary>
    public int BufferBytes => _buffer?.Length ?? 0;

    /// <summary>
    /// For a file that existed before the tailer started: begin at most <paramref name="tailBytes"/> before its end,
    /// at a line start. Line numbers stay exact: the newlines before that point are counted once, in chunks.
    /// </summary>
    public void StartNearEnd(long tailBytes)
    {
        using var handle = Open();
        if (handle is null) return;
        _identity = FileIdentity.Of(handle);
        var length = RandomAccess.GetLength(handle);
        if (length <= tailBytes) return;
        var start = length - tailBytes;
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long lines = 0;
            var lastByte = (byte)'\n';
            for (long at = 0; at < start;)
            {
                var n = RandomAccess.Read(handle, chunk.AsSpan(0, (int)Math.Min(chunk.Length, start - at)), at);
                if (n == 0) break;
                lines += chunk.AsSpan(0, n).Count((byte)'\n');
                lastByte = chunk[n - 1];
                at += n;
            }
            Offset = start;
            LineNumber = lines;
            _discarding = lastByte != (byte)'\n';
            _reportDiscarded = false;
            _discardedBytes = 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Reads up to <paramref name="maxBytes"/> new bytes and hands every complete line to <paramref name="sink"/>.</summary>
    public TailReadResult Read(ILineSink sink, int maxBytes)
    {
        using var handle = Open();
        if (handle is null) return new TailReadResult(FileChange.Missing, 0, false);
        var identity = FileIdentity.Of(handle);
        var length = RandomAccess.GetLength(handle);
        var change = FileChange.None;
        if (_identity is not null && identity is not null && identity != _identity) change = FileChange.Replaced;
        else if (length < Offset) change = FileChange.Truncated;
        _identity = identity;
        if (change != FileChange.None) Reset();

        long read = 0;
        while (Offset < length && read < maxBytes)
        {
            var free = EnsureSpace();
            var n = RandomAccess.Read(handle, free[..(int)Math.Min(free.Length, maxBytes - read)], Offset);
            if (n == 0) break;
            Offset += n;
            read += n;
            Split(sink, n);
        }
        if (_pending == 0) ReleaseBuffer();
        return new TailReadResult(change, read, Offset < length);
    }

    private SafeFileHandle? Open()
    {
        try
        {
            return File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private Span<byte> EnsureSpace()
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(ChunkBytes);
        // Grow only while a partial line needs it; the limit keeps the buffer at most maxLineBytes + one chunk.
        if (_buffer.Length - _pending < ChunkBytes / 4 && _buffer.Length <= maxLineBytes)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxLineBytes + ChunkBytes));
            _buffer.AsSpan(0, _pending).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        return _buffer.AsSpan(_pending);
    }

    private void Split(ILineSink sink, int added)
    {
        var data = _buffer.AsSpan(0, _pending + added);
        var lineStart = 0;
        var searchFrom = _pending;
        while (true)
        {
            var newline = data[searchFrom..].IndexOf((byte)'\n');
            if (newline < 0) break;
            var end = searchFrom + newline;
            LineNumber++;
            if (_discarding)
            {
                if (_reportDiscarded) sink.OnOversizedLine(LineNumber, _discardedBytes + end - lineStart);
                _discarding = false;
            }
            else if (end - lineStart > maxLineBytes)
            {
                sink.OnOversizedLine(LineNumber, end - lineStart);
            }
            else
            {
                sink.OnLine(data[lineStart..end], LineNumber);
            }
            lineStart = end + 1;
            searchFrom = lineStart;
        }
        var rest = data[lineStart..];
        if (!_discarding && rest.Length > maxLineBytes)
        {
            _discarding = true;
            _reportDiscarded = true;
            _discardedBytes = 0;
        }
        if (_discarding)
        {
            _discardedBytes += rest.Length;
            _pending = 0;
        }
        else
        {
            rest.CopyTo(_buffer);
            _pending = rest.Length;
        }
    }

    private void Reset()
    {
        Offset = 0;
        LineNumber = 0;
        _pending = 0;
        _discarding = false;
        _discardedBytes = 0;
    }

    private void ReleaseBuffer()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }

    public void Dispose() => ReleaseBuffer();
}

public readonly record struct TailReadResult(FileChange Change, long BytesRead, bool MorePending);
