using System.Buffers;

namespace Platform.Media;

/// <summary>H.264 Annex-B byte streams: NAL unit iteration, keyframe detection, writing, SPS basics.</summary>
public static class AnnexB
{
    private static ReadOnlySpan<byte> FourByteStartCode => [0, 0, 0, 1];

    /// <summary>The NAL units of an Annex-B stream or access unit (use with foreach).</summary>
    public static NalUnitEnumerator EnumerateNalUnits(ReadOnlySpan<byte> stream) => new(stream);

    /// <summary>True when the access unit holds an SPS, then a PPS, then an IDR slice, in that order (other NAL units may sit between).</summary>
    public static bool IsKeyframe(ReadOnlySpan<byte> accessUnit)
    {
        var step = 0;
        foreach (var nal in EnumerateNalUnits(accessUnit))
        {
            switch (nal.Type)
            {
                case NalUnitType.Sps when step == 0: step = 1; break;
                case NalUnitType.Pps when step == 1: step = 2; break;
                case NalUnitType.Idr: return step == 2;
            }
        }
        return false;
    }

    /// <summary>True when any NAL unit of the stream has that type.</summary>
    public static bool Contains(ReadOnlySpan<byte> stream, NalUnitType type)
    {
        foreach (var nal in EnumerateNalUnits(stream))
        {
            if (nal.Type == type) return true;
        }
        return false;
    }

    /// <summary>Writes a 4-byte start code and the NAL unit (bytes as given: emulation prevention is the caller's).</summary>
    public static void WriteNalUnit(IBufferWriter<byte> writer, ReadOnlySpan<byte> nalUnit)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (nalUnit.IsEmpty) throw new ArgumentException("A NAL unit has at least its header byte.", nameof(nalUnit));
        var span = writer.GetSpan(4 + nalUnit.Length);
        FourByteStartCode.CopyTo(span);
        nalUnit.CopyTo(span[4..]);
        writer.Advance(4 + nalUnit.Length);
    }

    /// <summary>Parses the first SPS of an Annex-B stream; false when there is none or it is malformed.</summary>
    public static bool TryFindSps(ReadOnlySpan<byte> stream, out SpsInfo sps)
    {
        foreach (var nal in EnumerateNalUnits(stream))
        {
            if (nal.Type == NalUnitType.Sps) return TryParseSps(nal.Data, out sps);
        }
        sps = default;
        return false;
    }

    /// <summary>Parses an SPS NAL unit (header byte included, emulation-prevention bytes present).</summary>
    public static bool TryParseSps(ReadOnlySpan<byte> spsNalUnit, out SpsInfo sps)
    {
        sps = default;
        if (spsNalUnit.Length < 4 || (NalUnitType)(spsNalUnit[0] & 0x1F) != NalUnitType.Sps) return false;
        var rented = ArrayPool<byte>.Shared.Rent(spsNalUnit.Length);
        try
        {
            var rbsp = rented.AsSpan(0, Unescape(spsNalUnit[1..], rented));
            return SpsParser.TryParse(rbsp, out sps);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Removes emulation-prevention bytes (the 03 of 00 00 03) into <paramref name="destination"/>; returns the length.</summary>
    public static int Unescape(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        var written = 0;
        var zeros = 0;
        foreach (var b in payload)
        {
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }
            destination[written++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return written;
    }
}
