using System.Globalization;
using Platform.TestSupport;

namespace Platform.CostBench;

/// <summary>CPU time of processes from /proc (utime + stime, and what their waited-for children used).</summary>
internal static class ProcessCpu
{
    // USER_HZ: /proc times are in clock ticks of 1/100 s on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>The process's own CPU seconds so far, or null once it has gone.</summary>
    public static double? Seconds(int pid) => Read(pid) is { } stat ? Seconds(stat) : null;

    /// <summary>utime + stime of a /proc/&lt;pid&gt;/stat line.</summary>
    public static double Seconds(string stat) => (Tick(stat, 14) + Tick(stat, 15)) / TicksPerSecond;

    /// <summary>cutime + cstime of a /proc/&lt;pid&gt;/stat line: the children the process has waited for.</summary>
    public static double ChildrenSeconds(string stat) => (Tick(stat, 16) + Tick(stat, 17)) / TicksPerSecond;

    /// <summary>The process's name (comm).</summary>
    public static string Name(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        return stat[(open + 1)..stat.LastIndexOf(')')];
    }

    /// <summary><paramref name="pid"/> and every live descendant.</summary>
    public static IReadOnlyList<int> Tree(int pid)
    {
        var all = new List<int> { pid };
        for (var i = 0; i < all.Count; i++) all.AddRange(ProcessState.Children(all[i]).Where(c => !all.Contains(c)));
        return all;
    }

    /// <summary>Every live process whose command line satisfies <paramref name="match"/> (its arguments, in order).</summary>
    public static IReadOnlyList<int> Find(Func<string[], bool> match)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (args.Length > 0 && match(args)) found.Add(pid);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return found;
    }

    private static string? Read(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    // Fields after "pid (comm) " (comm may hold spaces), numbered as in proc(5): field 3 (state) is the first.
    private static long Tick(string stat, int field)
        => long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[field - 3], CultureInfo.InvariantCulture);
}
