using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Media;
using Platform.TestSupport;

// bench/EncoderBench: our VideoEncoder (live profile, libx264 through libavcodec) against the ffmpeg CLI
// (`-c:v libx264 -preset ultrafast -tune zerolatency`) on the same raw synthetic frames, in the same run.
//   dotnet run -c Release --project bench/EncoderBench [frames]
var frameCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
const int DistinctFrames = 60; // rendered once, then cycled (the same bytes go to both encoders)

Console.WriteLine($"{FFmpegLibrary.Describe()}; .NET {Environment.Version}; {Environment.ProcessorCount} cores; {frameCount} frames per run");
Console.WriteLine($"load average before: {LoadAverage()}");
Console.WriteLine("fps = frames / wall time of the encode; cpu = CPU ms per frame (robust when other processes share the cores);");
Console.WriteLine("latency = from a frame's Encode call to its access unit coming out.");
Console.WriteLine();
Console.WriteLine($"{"size",-11}{"encoder",-36}{"fps",8}{"cpu ms",8}{"p50 ms",8}{"p99 ms",8}{"kB",8}");

var summary = new List<string>();
foreach (var (width, height, fps) in new[] { (1280, 720, 30), (1920, 1080, 60) })
{
    var video = new SyntheticVideo(width, height);
    var frames = Enumerable.Range(0, DistinctFrames).Select(video.Render).ToArray();
    var live = VideoEncoderOptions.Live with { Width = width, Height = height, Fps = fps, BitrateBps = width * height * fps / 7 };
    var size = $"{width}x{height}";

    Encode(live, frames, 30); // warm-up: JIT and first-open costs stay out of the figures
    var ffmpeg = await EncodeWithFfmpegAsync(width, height, fps, frames, frameCount, []);
    var ours = Encode(live, frames, frameCount);
    // The CLI with our live profile's settings: separates what the profile costs from what the binding costs.
    var ffmpegLive = await EncodeWithFfmpegAsync(width, height, fps, frames, frameCount, LiveProfileArguments(live));
    // Frame threads, for the latency/throughput trade-off at the size where throughput is tight.
    var oursFrames = height == 1080 ? Encode(live with { Threading = EncoderThreading.Frames }, frames, frameCount / 2) : null;

    Print(size, "ffmpeg CLI ultrafast zerolatency", ffmpeg);
    Print(size, "ffmpeg CLI + our live settings", ffmpegLive);
    Print(size, "ours, live profile (sliced threads)", ours);
    if (oursFrames is not null) Print(size, "ours, live, Threading = Frames", oursFrames);
    summary.Add($"{size}: ours/ffmpeg throughput {ours.Fps / ffmpeg.Fps:0.00} by wall time (goal >= 0.95: {(ours.Fps / ffmpeg.Fps >= 0.95 ? "met" : "NOT met")}), " +
        $"{ffmpeg.CpuMs / ours.CpuMs:0.00} by CPU time per frame; like-for-like (CLI with our settings): " +
        $"{ours.Fps / ffmpegLive.Fps:0.00} by wall time, {ffmpegLive.CpuMs / ours.CpuMs:0.00} by CPU time");
    if (height == 1080)
    {
        summary.Add($"1080p60 sustained: {(ours.Fps >= 60 ? "yes" : "no")} ({ours.Fps:0.0} fps now; {1000 / ours.CpuMs:0.0} fps per fully free core " +
            $"by CPU time, {2000 / ours.CpuMs:0.0} fps on two free cores)");
    }
}

Console.WriteLine();
foreach (var line in summary) Console.WriteLine(line);
Console.WriteLine($"load average after: {LoadAverage()}");

static string[] LiveProfileArguments(VideoEncoderOptions live)
{
    var rate = live.BitrateBps.ToString(CultureInfo.InvariantCulture);
    var buffer = (live.BitrateBps / live.Fps).ToString(CultureInfo.InvariantCulture);
    return ["-profile:v", "baseline", "-intra-refresh", "1", "-g", live.EffectiveKeyframeInterval.ToString(CultureInfo.InvariantCulture), "-bf", "0",
        "-qmin", "18", "-qmax", "40", "-b:v", rate, "-maxrate", rate, "-bufsize", buffer, "-forced-idr", "1",
        "-x264-params", "repeat-headers=1:scenecut=0"];
}

static void Print(string size, string name, Run run) =>
    Console.WriteLine($"{size,-11}{name,-36}{run.Fps,8:0.0}{run.CpuMs,8:0.00}{Ms(run.P50Ms),8}{Ms(run.P99Ms),8}{run.Bytes / 1024,8:0}");

static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.00", CultureInfo.InvariantCulture);

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

// Our live-profile encoder: wall time of the Encode loop (copy into the AVFrame + encode); per-frame latency from a
// frame's Encode call to the moment its access unit comes out (later calls, with frame threads).
static Run Encode(VideoEncoderOptions options, byte[][] frames, int count)
{
    using var encoder = VideoEncoder.Open(options);
    var output = new List<EncodedAccessUnit>(4);
    var started = new long[count];
    var latencies = new List<double>(count);
    long bytes = 0;
    void Collect()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var unit in output)
        {
            bytes += unit.Length;
            var index = (int)Math.Round(unit.PtsUs * (double)options.Fps / 1_000_000);
            latencies.Add(Stopwatch.GetElapsedTime(started[index], now).TotalMilliseconds);
            unit.Dispose();
        }
        output.Clear();
    }
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var total = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        started[i] = Stopwatch.GetTimestamp();
        encoder.Encode(frames[i % frames.Length], i * 1_000_000L / options.Fps, forceKeyframe: false, output);
        Collect();
    }
    encoder.Flush(output);
    Collect();
    total.Stop();
    var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / count;
    if (latencies.Count != count) throw new InvalidOperationException($"{latencies.Count} access units for {count} frames");
    latencies.Sort();
    return new Run(count / total.Elapsed.TotalSeconds, cpuMs, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), bytes);
}

// The ffmpeg CLI reading the same frames from a pipe; its own -benchmark rtime (the transcode loop, without process
// start-up) is the wall time. Output goes to a pipe we drain, so no file writing is timed.
static async Task<Run> EncodeWithFfmpegAsync(int width, int height, int fps, byte[][] frames, int count, string[] extra)
{
    var psi = new ProcessStartInfo("ffmpeg")
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };
    string[] arguments = ["-hide_banner", "-nostats", "-benchmark", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{width}x{height}",
        "-r", fps.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", .. extra, "-f", "h264", "pipe:1"];
    foreach (var argument in arguments) psi.ArgumentList.Add(argument);
    using var process = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start (apt-get install ffmpeg)");
    var stderr = process.StandardError.ReadToEndAsync();
    var drained = DrainAsync(process.StandardOutput.BaseStream);
    await using (var input = process.StandardInput.BaseStream)
    {
        for (var i = 0; i < count; i++) await input.WriteAsync(frames[i % frames.Length]);
    }
    var bytes = await drained;
    await process.WaitForExitAsync();
    var log = await stderr;
    if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed: {log}");
    var times = Regex.Match(log, @"utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s");
    if (!times.Success) throw new InvalidOperationException($"no -benchmark times in: {log}");
    double Seconds(int group) => double.Parse(times.Groups[group].Value, CultureInfo.InvariantCulture);
    return new Run(count / Seconds(3), (Seconds(1) + Seconds(2)) * 1000 / count, double.NaN, double.NaN, bytes);
}

static async Task<long> DrainAsync(Stream stream)
{
    var buffer = new byte[1 << 20];
    long total = 0;
    int read;
    while ((read = await stream.ReadAsync(buffer)) > 0) total += read;
    return total;
}

internal sealed record Run(double Fps, double CpuMs, double P50Ms, double P99Ms, long Bytes);
