using Platform.Media;

namespace Platform.Media.Tests;

/// <summary>Access units copied out of the encoder (so their pooled buffers can go back), with helpers to inspect them.</summary>
internal sealed class EncodedStream
{
    public List<(byte[] Data, long PtsUs, bool Keyframe)> Units { get; } = [];

    public void Take(List<EncodedAccessUnit> produced)
    {
        foreach (var unit in produced)
        {
            Units.Add((unit.Data.ToArray(), unit.PtsUs, unit.Keyframe));
            unit.Dispose();
        }
        produced.Clear();
    }

    public byte[] Concatenated() => Units.SelectMany(u => u.Data).ToArray();

    public static List<NalUnitType> Types(byte[] accessUnit)
    {
        var types = new List<NalUnitType>();
        foreach (var nal in AnnexB.EnumerateNalUnits(accessUnit)) types.Add(nal.Type);
        return types;
    }

    /// <summary>Capture-like timestamps: nominal frame times with a few microseconds of jitter, so pts must round-trip exactly.</summary>
    public static long PtsOf(int index, int fps) => 5_000_000 + index * 1_000_000L / fps + index % 3 * 7;

    /// <summary>Encodes frames 0..count-1 of the synthetic sequence, forcing keyframes at the given indexes, then flushes.</summary>
    public static EncodedStream Encode(VideoEncoder encoder, TestSupport.SyntheticVideo video, int count, ISet<int>? forceAt = null, Action<int>? beforeFrame = null)
    {
        var stream = new EncodedStream();
        var produced = new List<EncodedAccessUnit>();
        var frame = new byte[video.FrameSize];
        for (var i = 0; i < count; i++)
        {
            beforeFrame?.Invoke(i);
            video.Render(i, frame);
            encoder.Encode(frame, PtsOf(i, encoder.Fps), forceAt?.Contains(i) == true, produced);
            stream.Take(produced);
        }
        encoder.Flush(produced);
        stream.Take(produced);
        return stream;
    }
}
