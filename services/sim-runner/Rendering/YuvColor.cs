namespace Platform.SimRunner.Rendering;

/// <summary>
/// A colour as the Y, U (Cb) and V (Cr) bytes of an I420 frame: BT.601 limited range (Y 16–235, chroma 16–240), the
/// matrix and range x264 and browsers assume for untagged H.264. Converted once, where the colour is defined.
/// </summary>
public readonly record struct YuvColor(byte Y, byte U, byte V)
{
    public static YuvColor FromRgb(byte r, byte g, byte b)
    {
        var y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
        var u = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255;
        var v = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255;
        return new YuvColor(ToByte(y), ToByte(u), ToByte(v));
    }

    /// <summary>The colour <paramref name="amount"/> (0..1) of the way toward <paramref name="other"/> (blends in YUV, which is linear in RGB).</summary>
    public YuvColor Mix(YuvColor other, double amount)
        => new(Lerp(Y, other.Y, amount), Lerp(U, other.U, amount), Lerp(V, other.V, amount));

    private static byte Lerp(byte a, byte b, double t) => ToByte(a + (b - a) * t);

    private static byte ToByte(double value) => (byte)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), 0, 255);
}
