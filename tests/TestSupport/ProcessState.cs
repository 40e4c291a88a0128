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

    /// <summary>
    /// The process that does the work under <paramref name="pid"/>: its only child, followed down while there is exactly
    /// one. DCP starts a project as <c>dotnet run --no-build</c>, whose child is the service itself.
    /// </summary>
    public static int Innermost(int pid)
    {
        while (Children(pid) is [var only]) pid = only;
        return pid;
    }

    /// <summary>The live children of <paramref name="pid"/> (from /proc/&lt;pid&gt;/task/*/children).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var tasks = new DirectoryInfo($"/proc/{pid}/task");
        if (!tasks.Exists) return [];
        return [.. tasks.EnumerateDirectories()
            .SelectMany(task => File.Exists(Path.Combine(task.FullName, "children"))
                ? File.ReadAllText(Path.Combine(task.FullName, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                : [])
            .Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))
            .Where(IsAlive)
            .Distinct()];
    }
}
