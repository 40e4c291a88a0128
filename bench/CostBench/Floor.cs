using System.Diagnostics;

namespace Platform.CostBench;

/// <summary>
/// The floor: libx264 ultrafast + zerolatency alone encoding a generated test pattern of the same size and rate, as CPU
/// seconds per second of video (test-pattern generation included, which flatters the platform).
/// </summary>
internal static class Floor
{
    public static async Task<double> MeasureAsync(int width, int height, int fps, int seconds)
    {
        // The shell waits for ffmpeg, so its cutime/cstime hold ffmpeg's CPU once ffmpeg is done; read them before the shell exits.
        var ffmpeg = $"ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size={width}x{height}:rate={fps} -t {seconds} " +
                     "-c:v libx264 -preset ultrafast -tune zerolatency -f null - && cat /proc/$$/stat";
        var start = new ProcessStartInfo("sh", ["-c", ffmpeg]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start sh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"the floor's ffmpeg failed ({process.ExitCode}): {await stderr}");
        return ProcessCpu.ChildrenSeconds(await stdout) / seconds;
    }
}
