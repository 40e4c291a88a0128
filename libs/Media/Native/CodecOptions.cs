namespace Platform.Media.Native;

/// <summary>
/// Sets options on a codec context through AVOptions only: generic ones on the AVCodecContext, the encoder's own
/// ("preset", "x264-params", ...) on its private options object. A refused option is a <see cref="MediaException"/>
/// naming the encoder, the option and the value.
/// </summary>
internal readonly struct CodecOptions(nint context, string encoderName)
{
    private readonly nint privateOptions = AvUtil.av_opt_child_next(context, 0);

    public void Set(string name, string value) => Check(AvUtil.av_opt_set(context, name, value, 0), name, value);

    public void Set(string name, long value) => Check(AvUtil.av_opt_set_int(context, name, value, 0), name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void SetPrivate(string name, string value)
    {
        if (privateOptions == 0) throw new MediaException($"Encoder {encoderName} has no private options, so '{name}' cannot be set.");
        Check(AvUtil.av_opt_set(privateOptions, name, value, 0), name, value);
    }

    private void Check(int result, string name, string value)
    {
        if (result >= 0) return;
        var reason = result == AvError.OptionNotFound ? "this FFmpeg build has no such option" : AvError.Describe(result);
        throw new MediaException($"Encoder {encoderName} refused option {name}={value}: {reason}. Check the encoder options (FFmpeg 5.1 expected).");
    }
}
