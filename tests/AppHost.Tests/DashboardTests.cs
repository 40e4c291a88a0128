using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Dashboard;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.AppHost.Tests;

public sealed class DashboardTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private DistributedApplication _app = null!;
    private Uri _dashboard = null!;

    public async Task InitializeAsync()
    {
        var builder = TestApps.CreateBuilder(dashboard: true);
        builder.AddExecutable("talker", "/bin/sh", ".", "-c", "echo hello from talker; echo oops >&2; trap 'exit 0' TERM; while :; do sleep 0.05; done")
            .WithHttpEndpoint();
        _app = builder.Build();
        await _app.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("talker", cts.Token);
        _dashboard = new Uri(_app.Services.GetRequiredService<DashboardOptions>().Url);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Dashboard() => new() { BaseAddress = _dashboard };

    [Fact]
    public async Task PageAndResourcesApiShowStatePidEndpointsAndRestarts()
    {
        using var _http = Dashboard();
        var page = await _http.GetStringAsync("/");
        Assert.Contains("<title>Platform · AppHost dashboard</title>", page);

        using var json = JsonDocument.Parse(await _http.GetStringAsync("/api/resources"));
        var talker = json.RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "talker");
        Assert.Equal("Running", talker.GetProperty("state").GetString());
        Assert.Equal("Healthy", talker.GetProperty("health").GetString());
        Assert.Equal(_app.ResourceNotifications.Current.Single().Pid, talker.GetProperty("pid").GetInt32());
        Assert.Equal(0, talker.GetProperty("restartCount").GetInt32());
        Assert.StartsWith("http://localhost:", talker.GetProperty("endpoints")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task LogsApiReturnsConsoleLinesWithTheirStream()
    {
        using var _http = Dashboard();
        await Platform.TestSupport.Eventually.WaitAsync(async () => (await _http.GetStringAsync("/api/resources/talker/logs")).Contains("oops"), "talker's stderr line");
        using var json = JsonDocument.Parse(await _http.GetStringAsync("/api/resources/talker/logs"));
        var lines = json.RootElement.GetProperty("lines").EnumerateArray().ToList();
        Assert.Contains(lines, l => l.GetProperty("text").GetString() == "hello from talker" && l.GetProperty("stream").GetString() == "stdout");
        Assert.Contains(lines, l => l.GetProperty("text").GetString() == "oops" && l.GetProperty("stream").GetString() == "stderr");
        var last = lines.Max(l => l.GetProperty("sequence").GetInt64());
        using var after = JsonDocument.Parse(await _http.GetStringAsync($"/api/resources/talker/logs?after={last}"));
        Assert.Empty(after.RootElement.GetProperty("lines").EnumerateArray());

        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/resources/nobody/logs")).StatusCode);
    }

    [Fact]
    public async Task LiveLogStreamSendsServerSentEvents()
    {
        using var _http = Dashboard();
        using var cts = new CancellationTokenSource(Deadline);
        using var response = await _http.GetAsync("/api/resources/talker/logs/stream", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var first = await reader.ReadLineAsync(cts.Token);
        Assert.StartsWith("data: {", first);
        Assert.Contains("hello from talker", first);
    }

    [Fact]
    public async Task OtlpExportsAreAcceptedAndCountedPerService()
    {
        using var _http = Dashboard();
        var otlp = new Uri(_app.Services.GetRequiredService<DashboardOptions>().OtlpUrl);
        foreach (var signal in new[] { "traces", "traces", "logs", "metrics" })
        {
            using var content = new ByteArrayContent(ExportRequest("talker"));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            var response = await _http.PostAsync(new Uri(otlp, $"/v1/{signal}"), content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using var garbage = new ByteArrayContent([0x0a, 0xff, 0x01]);
        garbage.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsync(new Uri(otlp, "/v1/traces"), garbage)).StatusCode);
        using var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _http.PostAsync(new Uri(otlp, "/v1/traces"), json)).StatusCode);

        using var resources = JsonDocument.Parse(await _http.GetStringAsync("/api/resources"));
        var telemetry = resources.RootElement[0].GetProperty("telemetry");
        Assert.Equal(2, telemetry.GetProperty("traces").GetInt64());
        Assert.Equal(1, telemetry.GetProperty("logs").GetInt64());
        Assert.Equal(1, telemetry.GetProperty("metrics").GetInt64());
    }

    /// <summary>An OTLP Export*ServiceRequest with one resource whose service.name is <paramref name="service"/>.</summary>
    private static byte[] ExportRequest(string service)
    {
        static byte[] Message(Action<CodedOutputStream> write)
        {
            using var buffer = new MemoryStream();
            var output = new CodedOutputStream(buffer);
            write(output);
            output.Flush();
            return buffer.ToArray();
        }
        var anyValue = Message(o => { o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(service); });
        var keyValue = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString("service.name");
            o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(anyValue));
        });
        var resource = Message(o => { o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(keyValue)); });
        var resourceSpans = Message(o => { o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(resource)); });
        return Message(o => { o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(resourceSpans)); });
    }
}
