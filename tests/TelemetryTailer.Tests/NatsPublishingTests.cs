using System.Text.Json;
using Platform.TelemetryTailer.Publishing;
using Platform.TestSupport;

namespace Platform.TelemetryTailer.Tests;

/// <summary>Records and emergencies on NATS, seen by the official `nats` npm client through a real nats-server.</summary>
public sealed class NatsPublishingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Records_AndEmergencies_ArePublished_OnTheirSessionSubjects()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var subscriber = NodePeer.Start("tailer-nats-sub.mjs", nats.Url);
        await subscriber.WaitForLineAsync(l => l == "READY", TimeSpan.FromSeconds(10));
        await using var server = await TailerServer.StartAsync(_folder.Path, nats.Url,
            o => o.EmergencyRules = [new ThresholdRuleOptions { Field = "telemetry.phi", Op = ">", Value = 0.9 }]);

        _folder.AppendLines("run_7.jsonl",
            "{\"step\":1,\"telemetry\":{\"phi\":0.5}}",
            "{\"step\":2,\"telemetry\":{\"phi\":0.95}}",
            "not json",
            "{\"step\":4,\"emergency\":{\"reason\":\"collapse\"}}");

        await subscriber.WaitForLineAsync(l => l.Contains("\"step\":4") && l.Contains("\"telemetry.tail.run_7.emergency\""), TimeSpan.FromSeconds(10));
        var messages = subscriber.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var records = messages.Where(m => m.GetProperty("subject").GetString() == "telemetry.tail.run_7").ToList();
        var emergencies = messages.Where(m => m.GetProperty("subject").GetString() == "telemetry.tail.run_7.emergency").ToList();
        Assert.Equal([1, 2, 4], records.Select(m => m.GetProperty("data").GetProperty("step").GetInt32()));
        Assert.Equal([2, 4], emergencies.Select(m => m.GetProperty("data").GetProperty("step").GetInt32()));
        Assert.Equal("threshold_crossed", emergencies[0].GetProperty("data").GetProperty("emergency").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task TailingGoesOn_WhileNatsIsDown()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var server = await TailerServer.StartAsync(_folder.Path, nats.Url);
        await nats.StopAsync();

        _folder.AppendLines("offline.jsonl", "{\"n\":1}", "{\"n\":2}");
        await Eventually.WaitAsync(() => server.Session("offline")?.Records == 2, "records tailed with NATS down");
        Assert.Single(server.Hub.Snapshot("offline"));
    }

    [Theory]
    [InlineData("run_1", "telemetry.tail.run_1")]
    [InlineData("run.2", "telemetry.tail.run_2")]
    [InlineData("a b*>", "telemetry.tail.a_b__")]
    public void SessionIds_BecomeSingleSubjectTokens(string sessionId, string subject)
        => Assert.Equal(subject, NatsTelemetryPublisher.SubjectFor(sessionId));

    public void Dispose() => _folder.Dispose();
}
