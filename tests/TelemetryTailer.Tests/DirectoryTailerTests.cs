using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.TestSupport;

namespace Platform.TelemetryTailer.Tests;

/// <summary>The tailing service over a real folder: sessions appear, grow, rotate and end; malformed lines are reported.</summary>
public sealed class DirectoryTailerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task NewFile_IsPickedUp_AndItsDeletion_EndsTheSession()
    {
        var sink = new RecordingSink();
        await using var server = await TailerServer.StartAsync(_folder.Path, sinks: sink);

        _folder.AppendLines("run_1.jsonl", "{\"step\":1}", "{\"step\":2}");
        await Eventually.WaitAsync(() => sink.Of("run_1").Count == 2, "two records of run_1");
        Assert.Equal([1L, 2L], sink.Of("run_1").Select(r => r.Line));
        Assert.Equal("run_1.jsonl", server.Session("run_1")!.File);

        File.Delete(_folder.File("run_1.jsonl"));
        await Eventually.WaitAsync(() => server.Session("run_1") is null, "run_1 ended");
    }

    [Fact]
    public async Task HundredFiles_CreatedAtOnce_AreAllTailed()
    {
        var sink = new RecordingSink();
        await using var server = await TailerServer.StartAsync(_folder.Path, sinks: sink);

        for (var f = 0; f < 100; f++)
            _folder.AppendLines($"s{f:000}.jsonl", [.. Enumerable.Range(1, 10).Select(n => $"{{\"file\":{f},\"n\":{n}}}")]);

        await Eventually.WaitAsync(() => sink.RecordCount == 1000, "1000 records from 100 files");
        Assert.Equal(100, server.Hub.Sessions().Count);
        foreach (var group in sink.Records.GroupBy(r => r.SessionId))
            Assert.Equal(Enumerable.Range(1, 10).Select(n => (long)n), group.Select(r => r.Line));
    }

    [Fact]
    public async Task WithoutWatcherHints_ThePeriodicScanStillTails()
    {
        var sink = new RecordingSink();
        await using var server = await TailerServer.StartAsync(_folder.Path, o => o.UseFileSystemWatcher = false, sink);

        _folder.AppendLines("quiet.jsonl", "{\"n\":1}");
        await Eventually.WaitAsync(() => sink.Of("quiet").Count == 1, "first record by scan");
        _folder.Append("quiet.jsonl", "{\"n\":");
        _folder.Append("quiet.jsonl", "2}\n");
        await Eventually.WaitAsync(() => sink.Of("quiet").Count == 2, "second record by scan");
        Assert.Equal("{\"n\":2}", Encoding.UTF8.GetString(sink.Of("quiet")[1].Utf8));
    }

    [Fact]
    public async Task Rotation_AndTruncation_RestartTheSessionFromTheNewContent()
    {
        var sink = new RecordingSink();
        await using var server = await TailerServer.StartAsync(_folder.Path, sinks: sink);

        _folder.AppendLines("rot.jsonl", "{\"gen\":1,\"n\":1}", "{\"gen\":1,\"n\":2}");
        await Eventually.WaitAsync(() => sink.Of("rot").Count == 2, "generation 1");

        File.Move(_folder.File("rot.jsonl"), _folder.File("rot.jsonl.1"));
        _folder.AppendLines("rot.jsonl", "{\"gen\":2,\"n\":1}", "{\"gen\":2,\"n\":2}", "{\"gen\":2,\"n\":3}");
        await Eventually.WaitAsync(() => sink.Of("rot").Count == 5, "generation 2 after rotation");

        using (var stream = new FileStream(_folder.File("rot.jsonl"), FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) stream.SetLength(0);
        _folder.AppendLines("rot.jsonl", "{\"gen\":3,\"n\":1}");
        await Eventually.WaitAsync(() => sink.Of("rot").Count == 6, "generation 3 after truncation");

        var records = sink.Of("rot");
        Assert.Equal([1L, 2L, 1L, 2L, 3L, 1L], records.Select(r => r.Line));
        Assert.Equal([1, 1, 2, 2, 2, 3], records.Select(r => r.Data.GetProperty("gen").GetInt32()));
    }

    [Fact]
    public async Task MalformedLines_AreReportedWithFileAndLine_AndTheTailGoesOn()
    {
        var sink = new RecordingSink();
        await using var server = await TailerServer.StartAsync(_folder.Path, o => o.MaxLineBytes = 256, sink);

        _folder.AppendLines("bad.jsonl", "{\"n\":1}", "{\"n\":", "[1,2]", "{\"n\":4} trailing");
        _folder.AppendBytes("bad.jsonl", [.. "{\"s\":\""u8, 0xC3, 0x28, .. "\"}\n"u8]); // invalid UTF-8, line 5
        _folder.AppendLines("bad.jsonl", new string('x', 1000), "", "{\"n\":8}");

        await Eventually.WaitAsync(() => sink.Of("bad").Count == 2 && sink.Errors.Count == 5, "2 records and 5 errors");
        Assert.Equal([1L, 8L], sink.Of("bad").Select(r => r.Line));
        var errors = sink.Errors.ToList();
        Assert.All(errors, e => Assert.Equal("bad.jsonl", e.File));
        Assert.Equal([2L, 3L, 4L, 5L, 6L], errors.Select(e => e.Line));
        Assert.StartsWith("invalid JSON", errors[0].Reason);
        Assert.Contains("not an object", errors[1].Reason);
        Assert.Contains("after a single JSON value", errors[2].Reason);
        Assert.Equal("invalid UTF-8", errors[3].Reason);
        Assert.Contains("exceeds the limit of 256 bytes", errors[4].Reason);
        Assert.Equal(5, server.Session("bad")!.Errors);
    }

    [Fact]
    public async Task Emergencies_ComeFromEmergencyObjects_AndThresholdCrossings()
    {
        var sink = new RecordingSink();
        await using var server = await TailerServer.StartAsync(_folder.Path,
            o => o.EmergencyRules = [new ThresholdRuleOptions { Field = "telemetry.phi", Op = ">", Value = 0.9 }], sink);

        _folder.AppendLines("em.jsonl",
            "{\"step\":1,\"telemetry\":{\"phi\":0.5}}",
            "{\"step\":2,\"telemetry\":{\"phi\":0.95}}",   // crosses
            "{\"step\":3,\"telemetry\":{\"phi\":0.97}}",   // stays above: no new emergency
            "{\"step\":4,\"telemetry\":{\"phi\":0.3}}",
            "{\"step\":5,\"telemetry\":{\"phi\":0.92}}",   // crosses again
            "{\"step\":6,\"emergency\":{\"reason\":\"consciousness_collapse\",\"severity\":\"high\"},\"telemetry\":{\"phi\":0.1}}");

        await Eventually.WaitAsync(() => sink.Of("em").Count == 6 && sink.Emergencies.Count == 3, "6 records, 3 emergencies");
        var emergencies = sink.Emergencies.ToList();
        Assert.Equal([2L, 5L, 6L], emergencies.Select(e => e.Line));
        using var crossing = JsonDocument.Parse(emergencies[0].Json);
        Assert.Equal(2, crossing.RootElement.GetProperty("step").GetInt32());
        var detail = crossing.RootElement.GetProperty("emergency");
        Assert.Equal("threshold_crossed", detail.GetProperty("reason").GetString());
        Assert.Equal("telemetry.phi", detail.GetProperty("metric").GetString());
        Assert.Equal(0.95, detail.GetProperty("value").GetDouble());
        Assert.Equal(0.9, detail.GetProperty("threshold").GetDouble());
        Assert.Equal("consciousness_collapse", emergencies[2].Reason);
        Assert.Equal(3, server.Session("em")!.Emergencies);
    }

    [Fact]
    public async Task Memory_StaysBounded_AsAFileGrowsLarge()
    {
        var sink = new RecordingSink(keep: false);
        await using var server = await TailerServer.StartAsync(_folder.Path, o =>
        {
            o.HistorySize = 100;
            o.HistoryMaxBytes = 64 * 1024;
            // The NATS publisher's queue holds the batches NATS has not taken yet: bounded by its capacity.
            o.PublishQueueCapacity = 4;
        }, sink);
        var line = $"{{\"payload\":\"{new string('p', 900)}\",\"n\":0}}";
        var chunk = string.Concat(Enumerable.Repeat(line + "\n", 1000)); // ~1 MB per write
        _folder.Append("big.jsonl", chunk);
        await Eventually.WaitAsync(() => sink.RecordCount == 1000, "first MB");
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 1; i < 64; i++) _folder.Append("big.jsonl", chunk); // 64 MB in all
        await Eventually.WaitAsync(() => sink.RecordCount == 64_000, "64 MB of records", TimeSpan.FromSeconds(30));

        var info = server.Session("big")!;
        Assert.Equal(64_000, info.Records);
        Assert.True(info.Buffered <= 100, $"{info.Buffered} records held");
        Assert.True(info.BufferedBytes <= 64 * 1024, $"{info.BufferedBytes} bytes held");
        var growth = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(growth < 16 * 1024 * 1024, $"managed memory grew by {growth / 1024 / 1024} MB while tailing 64 MB");
    }

    [Fact]
    public async Task Health_ReportsTheTailLoop()
    {
        await using var server = await TailerServer.StartAsync(_folder.Path);
        var report = await server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["telemetry-tailer"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains(_folder.Path, entry.Description);
    }

    public void Dispose() => _folder.Dispose();
}
