namespace Platform.Media;

/// <summary>Reads the fields of seq_parameter_set_data (H.264 7.3.2.1.1) up to the frame size.</summary>
internal static class SpsParser
{
    private static readonly int[] HighProfiles = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135];

    public static bool TryParse(ReadOnlySpan<byte> rbsp, out SpsInfo sps)
    {
        sps = default;
        if (rbsp.Length < 4) return false;
        var reader = new BitReader(rbsp[3..]);
        var profile = rbsp[0];
        var chromaFormat = 1u;
        var id = reader.ReadUe();
        if (Array.IndexOf(HighProfiles, profile) >= 0)
        {
            chromaFormat = reader.ReadUe();
            if (chromaFormat == 3) reader.ReadBits(1);
            reader.ReadUe();
            reader.ReadUe();
            reader.ReadBits(1);
            if (reader.ReadBits(1) == 1)
            {
                for (var i = 0; i < (chromaFormat == 3 ? 12 : 8); i++)
                {
                    if (reader.ReadBits(1) == 1) SkipScalingList(ref reader, i < 6 ? 16 : 64);
                }
            }
        }
        reader.ReadUe();
        var pocType = reader.ReadUe();
        if (pocType == 0)
        {
            reader.ReadUe();
        }
        else if (pocType == 1)
        {
            reader.ReadBits(1);
            reader.ReadSe();
            reader.ReadSe();
            var cycle = reader.ReadUe();
            if (cycle > 255) return false;
            for (var i = 0; i < cycle; i++) reader.ReadSe();
        }
        reader.ReadUe();
        reader.ReadBits(1);
        var widthMbs = reader.ReadUe() + 1;
        var heightMapUnits = reader.ReadUe() + 1;
        var frameMbsOnly = reader.ReadBits(1);
        if (frameMbsOnly == 0) reader.ReadBits(1);
        reader.ReadBits(1);
        uint cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (reader.ReadBits(1) == 1)
        {
            cropLeft = reader.ReadUe();
            cropRight = reader.ReadUe();
            cropTop = reader.ReadUe();
            cropBottom = reader.ReadUe();
        }
        if (reader.Overrun || id > 31 || widthMbs > 1024 || heightMapUnits > 1024) return false;
        var cropUnitX = chromaFormat is 1 or 2 ? 2 : 1;
        var cropUnitY = (chromaFormat == 1 ? 2 : 1) * (2 - (int)frameMbsOnly);
        var width = (int)widthMbs * 16 - cropUnitX * (int)(cropLeft + cropRight);
        var height = (2 - (int)frameMbsOnly) * (int)heightMapUnits * 16 - cropUnitY * (int)(cropTop + cropBottom);
        if (width <= 0 || height <= 0) return false;
        sps = new SpsInfo(profile, rbsp[1], rbsp[2], (int)id, width, height);
        return true;
    }

    private static void SkipScalingList(ref BitReader reader, int size)
    {
        int last = 8, next = 8;
        for (var j = 0; j < size; j++)
        {
            if (next != 0) next = (last + reader.ReadSe() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    /// <summary>MSB-first bit reader with exp-Golomb codes; reading past the end yields zeros and sets <see cref="Overrun"/>.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int bit;

        public bool Overrun { get; private set; }

        public uint ReadBits(int count)
        {
            uint value = 0;
            for (var i = 0; i < count; i++)
            {
                var index = bit >> 3;
                uint b = 0;
                if (index < data.Length) b = (uint)(data[index] >> (7 - (bit & 7))) & 1;
                else Overrun = true;
                value = (value << 1) | b;
                bit++;
            }
            return value;
        }

        public uint ReadUe()
        {
            var zeros = 0;
            while (ReadBits(1) == 0)
            {
                if (++zeros > 31 || Overrun)
                {
                    Overrun = true;
                    return 0;
                }
            }
            return zeros == 0 ? 0 : (1u << zeros) - 1 + ReadBits(zeros);
        }

        public int ReadSe()
        {
            var code = ReadUe();
            return (code & 1) == 1 ? (int)((code + 1) / 2) : -(int)(code / 2);
        }
    }
}
