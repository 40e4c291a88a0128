using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.IntegrationTests;

/// <summary>The safety stack against the running platform, driven the way the transport drives it: JSON on NATS.</summary>
[Collection(SharedPlatform.Name)]
public sealed class SafetyStackTests(PlatformFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private Platform Platform => fixture.Platform;

    private async Task<NatsConnection> ConnectAsync()
    {
        var nats = new NatsConnection(NatsOpts.Default with { Url = (await Platform.App.GetConnectionStringAsync("nats"))!, Name = "integration-tests" });
        await nats.ConnectAsync();
        return nats;
    }

    [Fact]
    public async Task A_command_is_applied_by_the_sim_and_acknowledged()
    {
        await using var nats = await ConnectAsync();
        await using var acks = await nats.SubscribeCoreAsync<string>("telemetry.command.ack");
        var seq = Environment.TickCount64;

        await PublishCommandAsync(nats, "pause", seq);
        var pauseAck = await NextAsync(acks, ack => ack["action"]?.GetValue<string>() == "pause" && ack["cmd_seq"]?.GetValue<long>() == seq);
        Assert.Equal("ok", pauseAck["status"]!.GetValue<string>());

        await PublishCommandAsync(nats, "resume", seq + 1);
        var resumeAck = await NextAsync(acks, ack => ack["action"]?.GetValue<string>() == "resume" && ack["cmd_seq"]?.GetValue<long>() == seq + 1);
        Assert.Equal("ok", resumeAck["status"]!.GetValue<string>());

        await PublishCommandAsync(nats, "warp_drive", seq + 2);
        var unknownAck = await NextAsync(acks, ack => ack["action"]?.GetValue<string>() == "warp_drive");
        Assert.Equal("rejected", unknownAck["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(unknownAck["reason"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Killing_the_authority_holds_the_sim_and_a_latched_estop_survives_its_restart()
    {
        await using var nats = await ConnectAsync();
        await using var states = await nats.SubscribeCoreAsync<string>("safety.state");
        await using var simEvents = await nats.SubscribeCoreAsync<string>("safety.event.sim");

        await PublishCommandAsync(nats, "estop", Environment.TickCount64, new JsonObject { ["reason"] = "integration test" });
        var latched = await NextAsync(states, s => s["mode"]?.GetValue<string>() == "ESTOP");
        Assert.True(latched["state_id"]!.GetValue<long>() > 0);

        // A hung authority (SIGSTOP): silent but not exited, so the AppHost does not restart it. A killed one comes
        // back in under 1.5 s on an idle machine, too soon for the sim to notice.
        var authority = Platform.ResourcePid("safety-authority");
        var service = Platform.ServicePid("safety-authority");
        var frozenAt = Stopwatch.StartNew();
        Assert.True(PosixSignals.Send(service, PosixSignals.SIGSTOP), "SIGSTOP the authority");
        try
        {
            // Layer 3 on its own: no safety.state for 1500 ms → the sim reports authority_lost.
            var lost = await NextAsync(simEvents, e => e["kind"]?.GetValue<string>() == "authority_lost" && e["mode"]?.GetValue<string>() == "HOLD");
            Assert.InRange(lost["stale_ms"]!.GetValue<double>(), 1500, 1700);
            Assert.True(frozenAt.ElapsedMilliseconds >= 1000, $"authority_lost after {frozenAt.ElapsedMilliseconds} ms of silence");
        }
        finally
        {
            // Killed while stopped: the AppHost's restart-on-failure starts it again; it reads the latch back from JetStream KV.
            Assert.True(PosixSignals.Send(service, PosixSignals.SIGKILL), "SIGKILL the authority");
        }

        await Platform.WaitForRestartAsync("safety-authority", authority, TimeSpan.FromSeconds(90));
        await using var restartedStates = await nats.SubscribeCoreAsync<string>("safety.state");
        var after = await NextAsync(restartedStates, _ => true);
        Assert.Equal("ESTOP", after["mode"]!.GetValue<string>());
        Assert.Equal(latched["since_ms"]!.GetValue<long>(), after["since_ms"]!.GetValue<long>()); // stopped since the latch

        // The sim takes the restarted authority's states again.
        await NextAsync(simEvents, e => e["kind"]?.GetValue<string>() == "authority_lost" && e["mode"]?.GetValue<string>() == "ARMED");
    }

    private static async Task PublishCommandAsync(NatsConnection nats, string action, long seq, JsonObject? data = null)
    {
        var command = new JsonObject
        {
            ["action"] = action,
            ["cmd_seq"] = seq,
            ["data"] = data ?? new JsonObject(),
            ["source"] = "integration-tests",
            ["issued_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await nats.PublishAsync($"command.sim.{action}", command.ToJsonString());
    }

    private static async Task<JsonNode> NextAsync(INatsSub<string> sub, Func<JsonNode, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Deadline);
        try
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync(cts.Token))
            {
                if (msg.Data is { } json && JsonNode.Parse(json) is { } node && match(node)) return node;
            }
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"no matching message on {sub.Subject} within {(timeout ?? Deadline).TotalSeconds} s");
    }
}
