using System.Buffers;

namespace Platform.Media;

/// <summary>
/// One encoded access unit: H.264 Annex-B bytes (a keyframe starts with SPS, PPS, IDR) or one JPEG.
/// The bytes live in a pooled buffer that goes back to the pool on <see cref="Dispose"/>.
/// </summary>
public sealed class EncodedAccessUnit : IDisposable
{
    private byte[]? buffer;
    private readonly int length;

    internal EncodedAccessUnit(byte[] buffer, int length, long ptsUs, bool keyframe, VideoCodec codec)
    {
        this.buffer = buffer;
        this.length = length;
        PtsUs = ptsUs;
        Keyframe = keyframe;
        Codec = codec;
    }

    public ReadOnlyMemory<byte> Data => new(buffer ?? throw new ObjectDisposedException(nameof(EncodedAccessUnit)), 0, length);

    public int Length => length;

    /// <summary>Presentation time in microseconds, as given to <see cref="VideoEncoder.Encode"/>.</summary>
    public long PtsUs { get; }

    /// <summary>An IDR access unit with SPS and PPS in front (H.264), or any JPEG.</summary>
    public bool Keyframe { get; }

    public VideoCodec Codec { get; }

    public void Dispose()
    {
        var rented = Interlocked.Exchange(ref buffer, null);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }
}
