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
}
