using System.Text;
using Platform.TelemetryTailer.Tailing;

namespace Platform.TelemetryTailer.Tests;

/// <summary>The incremental reader against real files.</summary>
public sealed class FileTailTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private sealed class Lines : ILineSink
    {
        public List<(string Text, long Line)> Read { get; } = [];
        public List<(long Line, long Length)> Oversized { get; } = [];

        public void OnLine(ReadOnlySpan<byte> line, long lineNumber) => Read.Add((Encoding.UTF8.GetString(line), lineNumber));

        public void OnOversizedLine(long lineNumber, long length) => Oversized.Add((lineNumber, length));
    }

    [Fact]
    public void LineSplitAcrossWrites_WaitsForItsNewline_AndIsReadOnceWhole()
    {
        using var tail = new FileTail(_folder.File("s.jsonl"), 1024);
        var sink = new Lines();
        _folder.Append("s.jsonl", "{\"a\":1}\n{\"b\":");
        tail.Read(sink, int.MaxValue);
        Assert.Equal([("{\"a\":1}", 1L)], sink.Read);
        Assert.Equal(5, tail.PendingBytes);

        _folder.Append("s.jsonl", "2,\"c\"");
        var nothingNew = tail.Read(sink, int.MaxValue);
        Assert.Single(sink.Read);
        Assert.Equal(5, nothingNew.BytesRead);

        _folder.Append("s.jsonl", ":3}\n{\"d\":4}\n");
        tail.Read(sink, int.MaxValue);
        Assert.Equal([("{\"a\":1}", 1L), ("{\"b\":2,\"c\":3}", 2L), ("{\"d\":4}", 3L)], sink.Read);
        Assert.Equal(0, tail.PendingBytes);
        Assert.Equal(0, tail.BufferBytes); // nothing held while idle
        Assert.Equal(new FileInfo(_folder.File("s.jsonl")).Length, tail.Offset);
    }

    [Fact]
    public void Truncation_IsDetected_AndTheFileIsReadFromItsStart()
    {
        using var tail = new FileTail(_folder.File("s.jsonl"), 1024);
        var sink = new Lines();
        _folder.AppendLines("s.jsonl", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        tail.Read(sink, int.MaxValue);

        using (var stream = new FileStream(_folder.File("s.jsonl"), FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) stream.SetLength(0);
        _folder.AppendLines("s.jsonl", "{\"n\":9}");
        var result = tail.Read(sink, int.MaxValue);

        Assert.Equal(FileChange.Truncated, result.Change);
        Assert.Equal(("{\"n\":9}", 1L), sink.Read[^1]);
        Assert.Equal(4, sink.Read.Count);
    }

    [Fact]
    public void RotationByRename_IsDetectedByFileIdentity_EvenWhenTheNewFileIsLonger()
    {
        using var tail = new FileTail(_folder.File("s.jsonl"), 1024);
        var sink = new Lines();
        _folder.AppendLines("s.jsonl", "{\"old\":1}", "{\"old\":2}");
        tail.Read(sink, int.MaxValue);

        File.Move(_folder.File("s.jsonl"), _folder.File("s.jsonl.1"));
        _folder.AppendLines("s.jsonl", "{\"new\":1}", "{\"new\":2}", "{\"new\":3}"); // longer: no length shrink to see
        var result = tail.Read(sink, int.MaxValue);

        Assert.Equal(FileChange.Replaced, result.Change);
        Assert.Equal([("{\"new\":1}", 1L), ("{\"new\":2}", 2L), ("{\"new\":3}", 3L)], sink.Read.Skip(2));
    }

    [Fact]
    public void OversizedLine_IsReportedAndSkipped_WithoutBeingBuffered()
    {
        const int limit = 1024;
        using var tail = new FileTail(_folder.File("s.jsonl"), limit);
        var sink = new Lines();
        _folder.AppendLines("s.jsonl", "{\"ok\":1}");
        for (var i = 0; i < 40; i++)
        {
            _folder.Append("s.jsonl", new string('x', 10_000)); // a 400 kB line, written in pieces
            tail.Read(sink, int.MaxValue);
            Assert.True(tail.BufferBytes <= limit + 128 * 1024, $"buffer grew to {tail.BufferBytes}");
        }
        _folder.Append("s.jsonl", "\n{\"ok\":3}\n");
        tail.Read(sink, int.MaxValue);

        Assert.Equal([(2L, 400_000L)], sink.Oversized);
        Assert.Equal([("{\"ok\":1}", 1L), ("{\"ok\":3}", 3L)], sink.Read);
    }

    [Fact]
    public void ExistingLargeFile_IsStartedNearItsEnd_WithExactLineNumbers()
    {
        var lines = Enumerable.Range(1, 20_000).Select(n => $"{{\"n\":{n}}}").ToArray();
        _folder.AppendLines("s.jsonl", lines);
        using var tail = new FileTail(_folder.File("s.jsonl"), 1024);
        var sink = new Lines();

        tail.StartNearEnd(4096);
        tail.Read(sink, int.MaxValue);

        Assert.InRange(sink.Read.Count, 300, 420); // about 4 kB of 10-12 byte lines, not the whole file
        Assert.All(sink.Read, l => Assert.Equal($"{{\"n\":{l.Line}}}", l.Text));
        Assert.Equal(20_000, sink.Read[^1].Line);
    }

    [Fact]
    public void ReadsAreBoundedPerPass_AndContinueWhereTheyStopped()
    {
        _folder.AppendLines("s.jsonl", [.. Enumerable.Range(1, 1000).Select(n => $"{{\"n\":{n:0000}}}")]); // 11 bytes each
        using var tail = new FileTail(_folder.File("s.jsonl"), 1024);
        var sink = new Lines();

        var first = tail.Read(sink, 1100);
        Assert.True(first.MorePending);
        Assert.Equal(100, sink.Read.Count);
        while (tail.Read(sink, 1100).MorePending) { }
        Assert.Equal(Enumerable.Range(1, 1000).Select(n => (long)n), sink.Read.Select(l => l.Line));
    }

    [Fact]
    public void DeletedFile_ReadsAsMissing()
    {
        using var tail = new FileTail(_folder.File("s.jsonl"), 1024);
        _folder.AppendLines("s.jsonl", "{}");
        tail.Read(new Lines(), int.MaxValue);
        File.Delete(_folder.File("s.jsonl"));
        Assert.Equal(FileChange.Missing, tail.Read(new Lines(), int.MaxValue).Change);
    }

    public void Dispose() => _folder.Dispose();
}
