namespace Platform.SimRunner.Video;

/// <summary>The rendered video (<c>SimRunner:Video</c>): what is rendered, how often, and where it is streamed.</summary>
public sealed class VideoOptions
{
    public const string SectionName = "SimRunner:Video";
    public const int MaxWidth = 1920;
    public const int MaxHeight = 1080;
    public const int MinWidth = 320;
    public const int MinHeight = 180;
    public const int MaxFps = 60;

    public bool Enabled { get; set; } = true;

    /// <summary>The encoder stream name: frames end up on NATS video.&lt;stream&gt;.live.</summary>
    public string Stream { get; set; } = "main";

    public int Width { get; set; } = 1280;
    public int Height { get; set; } = 720;
    public int Fps { get; set; } = 30;

    /// <summary>The encoder's gRPC address; a resource name resolves through service discovery (http://_grpc.encoder:
    /// the encoder's endpoint named "grpc", services:encoder:grpc:0).</summary>
    public Uri EncoderAddress { get; set; } = new("http://_grpc.encoder");

    /// <summary>First wait before reconnecting to the encoder; it doubles (with jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A frame write that has not completed for this long means the encoder hangs (or a proxy on the way holds a
    /// connection to one that is gone): the Ingest stream is abandoned and a new one opened, instead of dropping
    /// frames at the source for ever.
    /// </summary>
    public TimeSpan WriteStallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Positions kept per robot for its trail.</summary>
    public int TrailLength { get; set; } = 90;

    /// <summary>What is wrong with these options, if anything (one message per problem, saying what to set).</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Stream) || Stream.Any(c => c is '.' or '*' or '>' || char.IsWhiteSpace(c)))
            yield return $"{SectionName}:Stream '{Stream}' must be one NATS subject token (no '.', '*', '>' or spaces), e.g. main.";
        if (Width is < MinWidth or > MaxWidth || Width % 2 != 0)
            yield return $"{SectionName}:Width {Width} must be even and between {MinWidth} and {MaxWidth}.";
        if (Height is < MinHeight or > MaxHeight || Height % 2 != 0)
            yield return $"{SectionName}:Height {Height} must be even and between {MinHeight} and {MaxHeight}.";
        if (Fps is < 1 or > MaxFps)
            yield return $"{SectionName}:Fps {Fps} must be between 1 and {MaxFps}.";
        if (!EncoderAddress.IsAbsoluteUri)
            yield return $"{SectionName}:EncoderAddress '{EncoderAddress}' must be an absolute URI, e.g. http://_grpc.encoder.";
        if (ReconnectInitialDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectInitialDelay)
            yield return $"{SectionName}:ReconnectInitialDelay must be positive and at most ReconnectMaxDelay.";
        if (WriteStallTimeout <= TimeSpan.Zero)
            yield return $"{SectionName}:WriteStallTimeout must be positive, e.g. 00:00:05.";
        if (TrailLength < 2)
            yield return $"{SectionName}:TrailLength {TrailLength} must be at least 2.";
    }
}
