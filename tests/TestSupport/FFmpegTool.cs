using System.Diagnostics;

namespace Platform.TestSupport;

/// <summary>Runs the ffmpeg/ffprobe command-line tools (Debian FFmpeg 5.1, /usr/bin) as independent checkers.</summary>
public static class FFmpegTool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed);

    /// <summary>Runs <paramref name="tool"/> (ffmpeg or ffprobe) and waits for it; the process is killed at the deadline.</summary>
    public static async Task<Result> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start (apt-get install ffmpeg).");
        process.StandardInput.Close();
        var clock = Stopwatch.StartNew();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', psi.ArgumentList)} did not finish in time.");
        }
        var elapsed = clock.Elapsed;
        return new Result(process.ExitCode, await stdout, await stderr, elapsed);
    }

    /// <summary>Runs the tool and throws with its stderr when it exits non-zero.</summary>
    public static async Task<Result> RunCheckedAsync(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(tool, arguments, timeout, cancellationToken);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited with {result.ExitCode}: {result.StandardError[^Math.Min(2000, result.StandardError.Length)..]}");
        return result;
    }
}
