using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;

namespace Platform.IntegrationTests;

/// <summary>The sim-runner's own JSONL telemetry, tailed by the telemetry-tailer, reaches a /ws/telemetry client.</summary>
[Collection(SharedPlatform.Name)]
public sealed class TelemetryStreamingTests(PlatformFixture fixture)
{
    [Fact]
    public async Task The_sims_telemetry_file_streams_live_to_a_websocket_client()
    {
        using var http = fixture.Platform.App.CreateHttpClient("telemetry-tailer", "http");
        var uri = new UriBuilder(http.BaseAddress!) { Scheme = "ws", Path = "/ws/telemetry" }.Uri;
        using var ws = new ClientWebSocket();
        // Generous: the tailer polls the file and batches; a loaded CI box can take tens of seconds to show steps advancing.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await ws.ConnectAsync(uri, cts.Token);
        await ws.SendAsync(Encoding.UTF8.GetBytes("""{"type":"subscribe","lastN":5}"""), WebSocketMessageType.Text, true, cts.Token);

        var buffer = new byte[1 << 20];
        long? firstStep = null;
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await ws.ReceiveAsync(buffer, cts.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            var node = JsonNode.Parse(message.ToArray())!;
            if (node["type"]?.GetValue<string>() != "telemetry" || node["sessionId"]?.GetValue<string>() is not { } session || !session.StartsWith("sim-", StringComparison.Ordinal))
                continue;
            var steps = node["data"]!.AsArray().Select(r => r!["step"]?.GetValue<long>()).OfType<long>().ToList();
            if (steps.Count == 0) continue;
            firstStep ??= steps[0];
            // Live, not only history: the sim's step counter keeps advancing in what arrives.
            if (steps[^1] > firstStep) break;
        }
    }
}
