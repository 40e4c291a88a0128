namespace Platform.TestSupport;

/// <summary>Whether a process id still names a live (non-zombie) process, read from /proc.</summary>
public static class ProcessState
{
    public static bool IsAlive(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) S ..."; a zombie (Z) or a dead process (X) has ended.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="signal"/> is ignored by <paramref name="pid"/> (SigIgn in /proc/&lt;pid&gt;/status). A shell's
    /// background job ignores SIGINT and passes that on to every process it starts, which then cannot be stopped by it.
    /// </summary>
    public static bool IgnoresSignal(int pid, int signal)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        return (mask & (1UL << (signal - 1))) != 0;
    }
}
