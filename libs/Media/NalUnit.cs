namespace Platform.Media;

/// <summary>One NAL unit of an Annex-B stream: header byte and payload as stored (emulation-prevention bytes kept).</summary>
public readonly ref struct NalUnit
{
    internal NalUnit(ReadOnlySpan<byte> data, int offset, int startCodeLength)
    {
        Data = data;
        Offset = offset;
        StartCodeLength = startCodeLength;
    }

    /// <summary>The NAL unit without its start code (and without trailing zero bytes).</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Where <see cref="Data"/> begins in the stream.</summary>
    public int Offset { get; }

    /// <summary>3 or 4: the start code that preceded this NAL unit.</summary>
    public int StartCodeLength { get; }

    public NalUnitType Type => (NalUnitType)(Data[0] & 0x1F);

    /// <summary>nal_ref_idc (0 = not used for reference).</summary>
    public int RefIdc => (Data[0] >> 5) & 0x3;
}
