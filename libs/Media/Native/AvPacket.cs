namespace Platform.Media.Native;

/// <summary>Typed access to the stable leading fields of an AVPacket (see <see cref="AvLayout"/>).</summary>
internal readonly unsafe struct AvPacket(nint pointer)
{
    public nint Pointer { get; } = pointer;

    private byte* Base => (byte*)Pointer;

    public long Pts => *(long*)(Base + AvLayout.PacketPts);

    public ReadOnlySpan<byte> Data => new(*(byte**)(Base + AvLayout.PacketData), *(int*)(Base + AvLayout.PacketSize));

    public bool IsKey => (*(int*)(Base + AvLayout.PacketFlags) & AvLayout.PacketFlagKey) != 0;
}
