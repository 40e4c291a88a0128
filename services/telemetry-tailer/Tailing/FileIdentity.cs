using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>
/// The (device, inode) of an open file, to tell a replaced file (rotation by rename) from the one being tailed.
/// .NET has no API for it, so this reads fstat on 64-bit Linux, where st_dev and st_ino are the first two 64-bit
/// fields of struct stat (x86_64 and the generic arm64 layout alike). Elsewhere it returns null and only
/// truncation (a length below the offset) is detected.
/// </summary>
internal static partial class FileIdentity
{
    public static (ulong Device, ulong Inode)? Of(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess) return null;
        Span<byte> stat = stackalloc byte[256]; // sizeof(struct stat) is 144 on x86_64, 128 on arm64
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (FStat((int)handle.DangerousGetHandle(), stat) != 0) return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null; // glibc before 2.33 exports only __fxstat
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        return (MemoryMarshal.Read<ulong>(stat), MemoryMarshal.Read<ulong>(stat[8..]));
    }

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FStat(int fd, Span<byte> buffer);
}
