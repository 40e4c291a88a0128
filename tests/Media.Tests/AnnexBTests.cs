using System.Buffers;
using Platform.Media;

namespace Platform.Media.Tests;

public sealed class AnnexBTests
{
    private static List<(NalUnitType Type, byte[] Data, int StartCode)> Read(byte[] stream)
    {
        var list = new List<(NalUnitType, byte[], int)>();
        foreach (var nal in AnnexB.EnumerateNalUnits(stream)) list.Add((nal.Type, nal.Data.ToArray(), nal.StartCodeLength));
        return list;
    }

    [Fact]
    public void Reads_nal_units_after_three_and_four_byte_start_codes()
    {
        byte[] stream = [0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1F, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80, 0, 0, 0, 1, 0x65, 0x88, 0x84];
        var nals = Read(stream);
        Assert.Equal([NalUnitType.Sps, NalUnitType.Pps, NalUnitType.Idr], nals.Select(n => n.Type));
        Assert.Equal([4, 3, 4], nals.Select(n => n.StartCode));
        Assert.Equal(new byte[] { 0x67, 0x42, 0xC0, 0x1F }, nals[0].Data);
        Assert.Equal(new byte[] { 0x68, 0xCE, 0x3C, 0x80 }, nals[1].Data);
        Assert.Equal(new byte[] { 0x65, 0x88, 0x84 }, nals[2].Data);
    }

    [Fact]
    public void Leaves_emulation_prevention_bytes_in_place()
    {
        byte[] stream = [0, 0, 1, 0x41, 0x9A, 0, 0, 3, 1, 0x22, 0, 0, 3, 0, 0x11];
        var nal = Assert.Single(Read(stream));
        Assert.Equal(NalUnitType.Slice, nal.Type);
        Assert.Equal(new byte[] { 0x41, 0x9A, 0, 0, 3, 1, 0x22, 0, 0, 3, 0, 0x11 }, nal.Data);
    }

    [Fact]
    public void Unescape_removes_only_the_03_after_two_zeros()
    {
        byte[] payload = [0x9A, 0, 0, 3, 1, 0, 3, 0, 0, 3, 0];
        var output = new byte[payload.Length];
        var length = AnnexB.Unescape(payload, output);
        Assert.Equal(new byte[] { 0x9A, 0, 0, 1, 0, 3, 0, 0, 0 }, output[..length]);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x12, 0x34, 0x56, 0x78, 0x9A })]
    [InlineData(new byte[] { 0, 0, 1 })]
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0 })]
    public void Empty_or_garbage_input_has_no_nal_units(byte[] stream)
    {
        Assert.Empty(Read(stream));
        Assert.False(AnnexB.IsKeyframe(stream));
        Assert.False(AnnexB.TryFindSps(stream, out _));
    }

    [Fact]
    public void Bytes_before_the_first_start_code_and_trailing_zeros_are_not_part_of_a_nal_unit()
    {
        byte[] stream = [0xFF, 0xEE, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 0, 0, 1, 0x06, 0x05, 0, 0];
        var nals = Read(stream);
        Assert.Equal([NalUnitType.Aud, NalUnitType.Sei], nals.Select(n => n.Type));
        Assert.Equal(new byte[] { 0x09, 0xF0 }, nals[0].Data);
        Assert.Equal(new byte[] { 0x06, 0x05 }, nals[1].Data);
    }

    [Fact]
    public void Keyframe_means_sps_then_pps_then_idr()
    {
        byte[] sps = [0x67, 0x42], pps = [0x68, 0xCE], idr = [0x65, 0x88], sei = [0x06, 0x05], slice = [0x41, 0x9A];
        Assert.True(AnnexB.IsKeyframe(Write(sps, pps, idr)));
        Assert.True(AnnexB.IsKeyframe(Write(sps, pps, sei, idr)));
        Assert.False(AnnexB.IsKeyframe(Write(pps, sps, idr)));
        Assert.False(AnnexB.IsKeyframe(Write(sps, idr)));
        Assert.False(AnnexB.IsKeyframe(Write(idr, sps, pps)));
        Assert.False(AnnexB.IsKeyframe(Write(sps, pps, slice)));
        Assert.True(AnnexB.Contains(Write(sps, pps, slice), NalUnitType.Pps));
        Assert.False(AnnexB.Contains(Write(sps, pps, slice), NalUnitType.Idr));
    }

    [Fact]
    public void Writer_puts_a_four_byte_start_code_before_each_nal_unit_and_reads_back()
    {
        byte[] first = [0x67, 0x42, 0, 0, 3, 0x01], second = [0x68, 0xCE];
        var bytes = Write(first, second);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x67, 0x42, 0, 0, 3, 0x01, 0, 0, 0, 1, 0x68, 0xCE }, bytes);
        var nals = Read(bytes);
        Assert.Equal(first, nals[0].Data);
        Assert.Equal(second, nals[1].Data);
        Assert.Throws<ArgumentException>(() => AnnexB.WriteNalUnit(new ArrayBufferWriter<byte>(), []));
    }

    [Fact]
    public void Parses_the_sps_basics_of_a_known_stream()
    {
        // x264 constrained baseline level 3.1, 1280x720 (45x45 macroblocks with 8 lines cropped at the bottom).
        byte[] sps = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xE8, 0x40, 0x00, 0x00, 0x03, 0x00, 0x40, 0x00, 0x00, 0x0F, 0x03, 0xC6, 0x0C, 0xA8];
        Assert.True(AnnexB.TryParseSps(sps, out var info));
        Assert.Equal(66, info.ProfileIdc);
        Assert.Equal(0xC0, info.ConstraintFlags);
        Assert.Equal(31, info.LevelIdc);
        Assert.Equal(1280, info.Width);
        Assert.Equal(720, info.Height);
        Assert.True(info.IsConstrainedBaseline);
        Assert.Equal("avc1.42C01F", info.CodecString);
    }

    [Fact]
    public void Truncated_or_wrong_sps_is_rejected()
    {
        Assert.False(AnnexB.TryParseSps([0x67, 0x42, 0xC0], out _));
        Assert.False(AnnexB.TryParseSps([0x68, 0x42, 0xC0, 0x1F, 0xDA], out _));
        Assert.False(AnnexB.TryParseSps([0x67, 0x42, 0xC0, 0x1F, 0x00, 0x00], out _));
    }

    private static byte[] Write(params byte[][] nalUnits)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var nal in nalUnits) AnnexB.WriteNalUnit(writer, nal);
        return writer.WrittenSpan.ToArray();
    }
}
