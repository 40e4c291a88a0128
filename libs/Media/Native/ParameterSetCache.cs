using System.Buffers;

namespace Platform.Media.Native;

/// <summary>The latest SPS and PPS an H.264 encoder emitted, as an Annex-B prefix to put in front of a bare IDR.</summary>
internal sealed class ParameterSetCache
{
    private byte[] sps = [];
    private byte[] pps = [];
    private byte[] prefix = [];

    public bool HasBoth => sps.Length > 0 && pps.Length > 0;

    public ReadOnlySpan<byte> Prefix => prefix;

    /// <summary>Keeps the access unit's SPS/PPS when they differ from the cached ones (allocates only then).</summary>
    public void Remember(ReadOnlySpan<byte> accessUnit)
    {
        var changed = false;
        foreach (var nal in AnnexB.EnumerateNalUnits(accessUnit))
        {
            if (nal.Type == NalUnitType.Sps && !nal.Data.SequenceEqual(sps)) { sps = nal.Data.ToArray(); changed = true; }
            else if (nal.Type == NalUnitType.Pps && !nal.Data.SequenceEqual(pps)) { pps = nal.Data.ToArray(); changed = true; }
            else if (nal.Type is NalUnitType.Slice or NalUnitType.Idr) break;
        }
        if (!changed || !HasBoth) return;
        var writer = new ArrayBufferWriter<byte>(sps.Length + pps.Length + 8);
        AnnexB.WriteNalUnit(writer, sps);
        AnnexB.WriteNalUnit(writer, pps);
        prefix = writer.WrittenSpan.ToArray();
    }
}
