using System.Text;

namespace Platform.TelemetryTailer.Tests;

/// <summary>A fresh folder under the system temp folder, deleted on dispose, with helpers to write JSONL files.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tailer-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Appends text as it is (no newline added), with one write.</summary>
    public void Append(string name, string text) => AppendBytes(name, Encoding.UTF8.GetBytes(text));

    public void AppendBytes(string name, byte[] bytes)
    {
        using var stream = new FileStream(File(name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.Write(bytes);
    }

    /// <summary>Appends complete lines, one write for all of them.</summary>
    public void AppendLines(string name, params string[] lines) => Append(name, string.Concat(lines.Select(l => l + "\n")));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a file still open elsewhere; the temp folder is cleaned by the system
        }
    }
}
