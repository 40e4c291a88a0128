namespace Platform.Media;

/// <summary>The basics of an H.264 sequence parameter set.</summary>
/// <param name="ConstraintFlags">The byte after profile_idc: constraint_set0..5 flags in its top bits.</param>
public readonly record struct SpsInfo(byte ProfileIdc, byte ConstraintFlags, byte LevelIdc, int SeqParameterSetId, int Width, int Height)
{
    /// <summary>RFC 6381 codec string, e.g. avc1.42C01F (constrained baseline, level 3.1).</summary>
    public string CodecString => $"avc1.{ProfileIdc:X2}{ConstraintFlags:X2}{LevelIdc:X2}";

    /// <summary>Baseline profile with constraint_set1 (the subset every decoder handles).</summary>
    public bool IsConstrainedBaseline => ProfileIdc == 66 && (ConstraintFlags & 0x40) != 0;
}
