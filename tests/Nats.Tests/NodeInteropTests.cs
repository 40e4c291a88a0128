using System.Text;
using System.Text.Json;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.Nats.Tests;

/// <summary>NATS.Net, as the services use it, against the official `nats` npm client (tests/interop/nats-peer.mjs), both directions.</summary>
public sealed class NodeInteropTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Headers_payloads_and_requests_cross_between_dotnet_and_node_both_ways()
    {
        await using var nats = fixture.Connect();
        await using var inbox = await nats.SubscribeCoreAsync<byte[]>("interop.dotnet.inbox");
        await using var echo = await nats.SubscribeCoreAsync<string>("interop.dotnet.echo");
        using var cts = new CancellationTokenSource(Deadline);
        var responder = Task.Run(async () =>
        {
            await foreach (var req in echo.Msgs.ReadAllAsync(cts.Token))
                await req.ReplyAsync($"dotnet got: {req.Data}", new NatsHeaders { ["Echo-Of"] = req.Headers?["X-Id"].ToString() ?? "", ["Dotnet"] = "yes" });
        }, cts.Token);
        await nats.PingAsync();

        await using var node = NodePeer.Start("nats-peer.mjs", fixture.Server.Url);
        await node.WaitForLineAsync(l => l == "READY", Deadline);

        // .NET -> Node: headers (repeated too) and payloads of every size class.
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var large = Enumerable.Range(0, 300 * 1024).Select(i => (byte)(i % 253)).ToArray();
        var headers = new NatsHeaders { ["Frame-Id"] = "42", ["Codec"] = "h264" };
        headers.Add("Multi", new Microsoft.Extensions.Primitives.StringValues(["x", "y"]));
        await nats.PublishAsync("interop.node.inbox", binary, headers);
        await nats.PublishAsync("interop.node.inbox", Array.Empty<byte>());
        await nats.PublishAsync("interop.node.inbox", large);
        await Eventually.WaitAsync(() => MsgLines(node).Count == 3, "node received three messages", Deadline);
        var received = MsgLines(node);
        Assert.Equal(binary, Convert.FromBase64String(received[0].GetProperty("data").GetString()!));
        var nodeHeaders = received[0].GetProperty("headers");
        Assert.Equal("42", nodeHeaders.GetProperty("Frame-Id")[0].GetString());
        Assert.Equal("h264", nodeHeaders.GetProperty("Codec")[0].GetString());
        Assert.Equal(["x", "y"], nodeHeaders.GetProperty("Multi").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(0, received[1].GetProperty("size").GetInt32());
        Assert.Equal(JsonValueKind.Null, received[1].GetProperty("headers").ValueKind);
        Assert.Equal(large.Length, received[2].GetProperty("size").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(large)), received[2].GetProperty("sha256").GetString());

        // .NET requests, Node replies.
        var reply = await nats.RequestAsync<string, string>("interop.node.echo", "from dotnet", new NatsHeaders { ["X-Id"] = "dn-1" });
        Assert.Equal("from dotnet", reply.Data);
        Assert.Equal("dn-1", reply.Headers!["Echo-Of"]);
        Assert.Equal("yes", reply.Headers["Node"]);

        // Node -> .NET: publishes with headers, and a request that .NET answers.
        await node.WriteLineAsync("GO");
        var fromNode = new List<NatsMsg<byte[]>>();
        for (var i = 0; i < 3; i++) fromNode.Add(await inbox.Msgs.ReadAsync(cts.Token));
        Assert.Equal(new byte[] { 0, 1, 2, 253, 254, 255 }, fromNode[0].Data);
        Assert.Equal("7", fromNode[0].Headers!["Frame-Id"]);
        Assert.Equal("one,two", fromNode[0].Headers!["Multi"].ToString());
        Assert.Null(fromNode[1].Data); // NATS.Net gives an empty payload as null; the services read `msg.Data ?? []`
        Assert.Equal(Enumerable.Range(0, 200 * 1024).Select(i => (byte)(i % 251)), fromNode[2].Data!);

        var replyLine = await node.WaitForLineAsync(l => l.StartsWith("REPLY ", StringComparison.Ordinal), Deadline);
        var nodeReply = JsonDocument.Parse(replyLine["REPLY ".Length..]).RootElement;
        Assert.Equal("dotnet got: from node", Encoding.UTF8.GetString(Convert.FromBase64String(nodeReply.GetProperty("data").GetString()!)));
        Assert.Equal("node-1", nodeReply.GetProperty("headers").GetProperty("Echo-Of")[0].GetString());
        Assert.Equal("NORESPONDERS 503", await node.WaitForLineAsync(l => l.StartsWith("NORESPONDERS", StringComparison.Ordinal), Deadline));
        await node.WaitForExitAsync(Deadline);
        await cts.CancelAsync();
        await responder.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static List<JsonElement> MsgLines(NodePeer node) =>
        node.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("MSG ", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l[4..]).RootElement)
            .ToList();
}
