using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

public sealed class OpenTelemetryExportTests
{
    [Fact]
    public async Task Traces_metrics_and_logs_reach_the_otlp_endpoint_over_http_protobuf()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var service = await TestService.StartAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:nats"] = nats.Url,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_SERVICE_NAME"] = "svc-under-test",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            },
            app => app.MapGet("/hello", (ILoggerFactory logs) =>
            {
                logs.CreateLogger("Hello").LogInformation("hello from {Caller}", "the-test");
                return "hi";
            }));
        using var http = new HttpClient { BaseAddress = service.Address };

        Assert.Equal("hi", await http.GetStringAsync("/hello"));

        await Eventually.WaitAsync(() => receiver.Received("/v1/traces", "svc-under-test") && receiver.Received("/v1/traces", "Microsoft.AspNetCore"),
            "a span from Microsoft.AspNetCore exported for svc-under-test", TimeSpan.FromSeconds(15));
        await Eventually.WaitAsync(() => receiver.Received("/v1/logs", "hello from"), "the log record exported", TimeSpan.FromSeconds(15));
        await Eventually.WaitAsync(() => receiver.Received("/v1/metrics", "http.server.request.duration"), "ASP.NET Core's request duration metric exported", TimeSpan.FromSeconds(15));
        Assert.All(receiver.Posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
    }
}
