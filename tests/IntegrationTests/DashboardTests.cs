using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Wire;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.IntegrationTests;

/// <summary>The platform's own dashboard commands and links, and what the dashboard's telemetry API shows of an operator command.</summary>
[Collection(SharedPlatform.Name)]
public sealed class DashboardTests(PlatformFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private Platform Platform => fixture.Platform;

    private Task<ExecuteCommandResult> ExecuteAsync(string resource, string command)
        => Platform.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command);

    [Fact]
    public async Task E_STOP_latches_ESTOP_at_the_authority_and_Clear_E_STOP_answers_for_it()
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = (await Platform.App.GetConnectionStringAsync("nats"))!, Name = "dashboard-tests" });
        await nats.ConnectAsync();
        await using var states = await nats.SubscribeCoreAsync<string>("safety.state");

        var estop = await ExecuteAsync("safety-authority", "estop");

        Assert.True(estop.Success, estop.Message);
        Assert.StartsWith("Mode Estop since ", estop.Message);
        using var cts = new CancellationTokenSource(Deadline);
        await foreach (var msg in states.Msgs.ReadAllAsync(cts.Token))
        {
            if (JsonNode.Parse(msg.Data!)?["mode"]?.GetValue<string>() == "ESTOP") break;
        }

        // Refused while a gate holds (no operator heartbeat here), granted otherwise: either way the authority answered.
        var clear = await ExecuteAsync("safety-authority", "clear-estop");
        Assert.StartsWith(clear.Success ? "ESTOP cleared" : "ESTOP not cleared: ", clear.Message);
    }

    [Fact]
    public async Task Request_keyframe_reaches_the_encoder_and_the_transport_links_its_viewer()
    {
        // Right after start the sim may not have streamed yet: the encoder answers NotFound until stream main arrives.
        ExecuteCommandResult keyframe = null!;
        await Eventually.WaitAsync(async () => (keyframe = await ExecuteAsync("encoder", "request-keyframe")).Message?.StartsWith("NotFound", StringComparison.Ordinal) != true,
            "the encoder ingesting stream main", Deadline);
        Assert.StartsWith(keyframe.Success ? "Keyframe expected at frame " : "Throttled: ", keyframe.Message);

        Assert.True(Platform.App.ResourceNotifications.TryGetCurrentState("transport", out var transport));
        var viewer = Assert.Single(transport.Snapshot.Urls, u => u.DisplayProperties.DisplayName == "Viewer");
        Assert.Equal(Platform.App.GetEndpoint("transport", "http"), new Uri(viewer.Url));
    }

    [Fact]
    public async Task An_operator_command_is_one_trace_from_the_transport_to_the_sim()
    {
        var viewer = Platform.App.GetEndpoint("transport", "http");
        using var ws = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ws.ConnectAsync(new UriBuilder(viewer) { Scheme = "ws", Path = "/stream/ws", Query = "stream=main&client=trace-test" }.Uri, cts.Token);
        var seq = Environment.TickCount64;
        byte[] command = [(byte)StreamMessageType.Command, .. Encoding.UTF8.GetBytes($$"""{"action":"pause","cmd_seq":{{seq}}}""")];
        await ws.SendAsync(command, WebSocketMessageType.Binary, true, cts.Token);

        using var dashboard = new HttpClient { BaseAddress = Platform.Dashboard };
        string? traceId = null;
        HashSet<string> services = [];
        HashSet<string> transportSpans = [];
        try
        {
            await Eventually.WaitAsync(async () =>
            {
                var spans = Spans(await GetAsync(dashboard, "/api/telemetry/traces?resource=transport", cts.Token)).ToList();
                transportSpans = [.. spans.Select(s => s.Name)];
                traceId ??= spans.FirstOrDefault(s => s.Name == "command pause" && s.Attributes.Contains($"{seq}", StringComparison.Ordinal))?.TraceId;
                if (traceId is null) return false;
                services = [.. Spans(await GetAsync(dashboard, $"/api/telemetry/traces/{traceId}", cts.Token)).Select(s => $"{s.Service}: {s.Name}")];
                return services.Any(s => s.StartsWith("sim-runner: ", StringComparison.Ordinal));
            }, "the command's trace with spans from the transport and the sim-runner", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\ntrace {traceId}: [{string.Join(", ", services)}]\nthe transport's spans: [{string.Join(", ", transportSpans)}]", ex);
        }

        Assert.Contains(services, s => s.StartsWith("transport: command pause", StringComparison.Ordinal));
    }

    /// <summary>A telemetry API answer; a refusal's message says why (the API answers 400 with a reason).</summary>
    private static async Task<JsonElement> GetAsync(HttpClient dashboard, string path, CancellationToken cancellationToken)
    {
        using var response = await dashboard.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private sealed record Span(string Service, string TraceId, string Name, string Attributes);

    /// <summary>The spans of an OTLP/JSON answer of the dashboard's telemetry API, with their resource's service.name.</summary>
    private static IEnumerable<Span> Spans(JsonElement answer)
    {
        foreach (var resourceSpans in answer.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resourceSpans.TryGetProperty("resource", out var resource)
                ? resource.GetProperty("attributes").EnumerateArray().Where(a => a.GetProperty("key").GetString() == "service.name")
                    .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()).FirstOrDefault() ?? ""
                : "";
            foreach (var scope in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    var attributes = span.TryGetProperty("attributes", out var a) ? a.GetRawText() : "";
                    yield return new Span(service, span.GetProperty("traceId").GetString()!, span.GetProperty("name").GetString()!, attributes);
                }
            }
        }
    }
}
