using Platform.Media;
using Platform.TestSupport;

namespace Platform.Media.Tests;

/// <summary>One live-profile libx264 encode of 90 synthetic 720p frames (keyframes forced at 30 and 61), shared by the live tests.</summary>
public sealed class LiveEncodeFixture : IDisposable
{
    public const int FrameCount = 90;
    public static readonly int[] Forced = [30, 61];

    private readonly TempFolder folder = new();

    public LiveEncodeFixture()
    {
        Options = VideoEncoderOptions.Live;
        Video = new SyntheticVideo(Options.Width, Options.Height);
        using var encoder = VideoEncoder.Open(Options);
        Stream = EncodedStream.Encode(encoder, Video, FrameCount, new HashSet<int>(Forced));
        H264Path = folder.File("live.h264");
        File.WriteAllBytes(H264Path, Stream.Concatenated());
        SourcePath = folder.File("source.yuv");
        using var source = File.Create(SourcePath);
        for (var i = 0; i < FrameCount; i++) source.Write(Video.Render(i));
    }

    public VideoEncoderOptions Options { get; }

    public SyntheticVideo Video { get; }

    internal EncodedStream Stream { get; }

    public string H264Path { get; }

    public string SourcePath { get; }

    public void Dispose() => folder.Dispose();
}
