using System.Buffers;
using System.Buffers.Binary;

namespace Platform.Contracts.Wire;

/// <summary>
/// A <c>/ws/signals</c> binary telemetry frame (seed 001): header <c>&lt;I Q d I</c> = magic 0x48455254 ("HERT"),
/// frame u64, time f64, count u32 (24 bytes, little-endian, no padding), then <c>count</c> f64 values in
/// subscription order.
/// </summary>
public readonly record struct HertFrame(ulong Frame, double Time, double[] Values)
{
    public const uint Magic = 0x48455254;
    public const int HeaderSize = 24;

    public static int SizeOf(int count) => HeaderSize + 8 * count;

    /// <summary>Writes a frame into <paramref name="destination"/> (at least <see cref="SizeOf"/> bytes); returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong frame, double time, ReadOnlySpan<double> values)
    {
        var size = SizeOf(values.Length);
        if (destination.Length < size)
            throw new ArgumentException($"A HERT frame of {values.Length} values needs {size} bytes; the destination has {destination.Length}.", nameof(destination));
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[4..], frame);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[12..], time);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], (uint)values.Length);
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(destination[(HeaderSize + 8 * i)..], values[i]);
        return size;
    }

    /// <summary>
    /// Writes a frame of the values at <paramref name="indices"/> of <paramref name="allValues"/> into a buffer rented from
    /// <see cref="ArrayPool{T}.Shared"/>; the caller returns it. Returns the bytes written.
    /// </summary>
    public static int WritePooled(ulong frame, double time, IReadOnlyList<double> allValues, ReadOnlySpan<int> indices, out byte[] buffer)
    {
        var size = SizeOf(indices.Length);
        buffer = ArrayPool<byte>.Shared.Rent(size);
        var span = buffer.AsSpan(0, size);
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(span[4..], frame);
        BinaryPrimitives.WriteDoubleLittleEndian(span[12..], time);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], (uint)indices.Length);
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            var value = (uint)index < (uint)allValues.Count ? allValues[index] : double.NaN;
            BinaryPrimitives.WriteDoubleLittleEndian(span[(HeaderSize + 8 * i)..], value);
        }
        return size;
    }

    /// <summary>Reads a frame; false with the reason when it is truncated, has the wrong magic, or its length does not match count.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out HertFrame frame, out string? error)
    {
        frame = default;
        if (source.Length < HeaderSize)
        {
            error = $"truncated HERT header: {source.Length} of {HeaderSize} bytes";
            return false;
        }
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(source);
        if (magic != Magic)
        {
            error = $"wrong magic 0x{magic:x8}, expected 0x{Magic:x8} (\"HERT\")";
            return false;
        }
        var count = BinaryPrimitives.ReadUInt32LittleEndian(source[20..]);
        var expected = HeaderSize + 8L * count;
        if (source.Length != expected)
        {
            error = $"count {count} needs {expected} bytes but the frame has {source.Length}";
            return false;
        }
        var values = new double[count];
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(source[(HeaderSize + 8 * i)..]);
        frame = new HertFrame(BinaryPrimitives.ReadUInt64LittleEndian(source[4..]), BinaryPrimitives.ReadDoubleLittleEndian(source[12..]), values);
        error = null;
        return true;
    }
}
