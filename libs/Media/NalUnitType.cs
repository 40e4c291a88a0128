namespace Platform.Media;

/// <summary>H.264 nal_unit_type (ITU-T H.264 table 7-1), the low five bits of a NAL unit's first byte.</summary>
public enum NalUnitType : byte
{
    Unspecified = 0,
    Slice = 1,
    SliceDataA = 2,
    SliceDataB = 3,
    SliceDataC = 4,
    Idr = 5,
    Sei = 6,
    Sps = 7,
    Pps = 8,
    Aud = 9,
    EndOfSequence = 10,
    EndOfStream = 11,
    Filler = 12,
    SpsExtension = 13,
    Prefix = 14,
    SubsetSps = 15,
    DepthParameterSet = 16,
    AuxiliarySlice = 19,
    SliceExtension = 20,
    SliceExtensionDepth = 21,
}
