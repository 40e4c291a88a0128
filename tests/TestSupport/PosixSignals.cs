using System.Runtime.InteropServices;

namespace Platform.TestSupport;

/// <summary>Sends a signal to another process (.NET only offers SIGKILL through Process.Kill).</summary>
public static partial class PosixSignals
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGSTOP = 19;

    public static bool Send(int pid, int signal) => kill(pid, signal) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
