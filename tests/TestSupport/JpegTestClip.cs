namespace Platform.TestSupport;

/// <summary>
/// Real JPEGs made by ffmpeg's mjpeg encoder, as the encoder's fallback publishes them: 1280x720 testsrc2 at 30 fps,
/// one JPEG per frame, each one a keyframe. Made once per process and shared.
/// </summary>
public static class JpegTestClip
{
    public const int Width = H264TestClip.Width;
    public const int Height = H264TestClip.Height;
    public const int FramesPerSecond = H264TestClip.FramesPerSecond;
    public const int Seconds = 2;

    private static readonly Lazy<Task<IReadOnlyList<EncodedClipFrame>>> Clip = new(MakeAsync);

    public static Task<IReadOnlyList<EncodedClipFrame>> FramesAsync() => Clip.Value;

    private static async Task<IReadOnlyList<EncodedClipFrame>> MakeAsync()
    {
        var folder = Directory.CreateTempSubdirectory("platform-jpeg-clip-");
        try
        {
            await FFmpegTool.RunCheckedAsync("ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate={FramesPerSecond}",
                "-t", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "mjpeg", "-q:v", "5",
                "-f", "image2", Path.Combine(folder.FullName, "%04d.jpg"),
            ]);
            var frames = folder.GetFiles("*.jpg").OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new EncodedClipFrame(File.ReadAllBytes(f.FullName), Keyframe: true)).ToList();
            if (frames.Count < FramesPerSecond * Seconds)
                throw new InvalidOperationException($"ffmpeg made {frames.Count} JPEGs; expected {FramesPerSecond * Seconds}");
            return frames;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
