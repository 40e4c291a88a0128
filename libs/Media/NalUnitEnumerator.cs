namespace Platform.Media;

/// <summary>
/// Iterates the NAL units of an Annex-B byte stream (3- and 4-byte start codes). Bytes before the first start code
/// and empty NAL units are skipped; trailing zero bytes (trailing_zero_8bits) are not part of a NAL unit.
/// </summary>
public ref struct NalUnitEnumerator
{
    private readonly ReadOnlySpan<byte> stream;
    private int position;
    private NalUnit current;

    internal NalUnitEnumerator(ReadOnlySpan<byte> stream)
    {
        this.stream = stream;
        position = 0;
        current = default;
    }

    public readonly NalUnit Current => current;

    public readonly NalUnitEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (true)
        {
            var start = FindStartCode(stream, position);
            if (start < 0) return false;
            var payloadStart = start + 3;
            var next = FindStartCode(stream, payloadStart);
            var end = next < 0 ? stream.Length : next;
            position = end;
            while (end > payloadStart && stream[end - 1] == 0) end--;
            if (end == payloadStart) continue;
            // 00 00 01 preceded by a zero byte is the 4-byte form 00 00 00 01.
            var fourByte = start > 0 && stream[start - 1] == 0;
            current = new NalUnit(stream[payloadStart..end], payloadStart, fourByte ? 4 : 3);
            return true;
        }
    }

    /// <summary>Index of the next 00 00 01 at or after <paramref name="from"/>, or -1.</summary>
    private static int FindStartCode(ReadOnlySpan<byte> data, int from)
    {
        if (from >= data.Length) return -1;
        var hit = data[from..].IndexOf(StartCode);
        return hit < 0 ? -1 : from + hit;
    }

    private static ReadOnlySpan<byte> StartCode => [0, 0, 1];
}
