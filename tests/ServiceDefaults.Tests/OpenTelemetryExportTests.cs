using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>ServiceDefaults' OTLP export, from the recorder's real Program to a bare OTLP receiver.</summary>
public sealed class OpenTelemetryExportTests
{
    [Fact]
    public async Task Traces_metrics_and_logs_reach_the_otlp_endpoint_over_http_protobuf()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var service = await ServiceProgram.StartAsync<Program>(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:nats"] = nats.Url,
                ["Logging:LogLevel:Default"] = "Information",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_SERVICE_NAME"] = "svc-under-test",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            },
            TestRoutes.Map("/hello", context =>
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Hello").LogInformation("hello from {Caller}", "the-test");
                return context.Response.WriteAsync("hi");
            }));
        using var http = new HttpClient { BaseAddress = service.HttpAddress };

        Assert.Equal("hi", await http.GetStringAsync("/hello"));

        await Eventually.WaitAsync(() => receiver.Received("/v1/traces", "svc-under-test") && receiver.Received("/v1/traces", "Microsoft.AspNetCore"),
            "a span from Microsoft.AspNetCore exported for svc-under-test", TimeSpan.FromSeconds(15));
        await Eventually.WaitAsync(() => receiver.Received("/v1/logs", "hello from"), "the log record exported", TimeSpan.FromSeconds(15));
        await Eventually.WaitAsync(() => receiver.Received("/v1/metrics", "http.server.request.duration"), "ASP.NET Core's request duration metric exported", TimeSpan.FromSeconds(15));
        Assert.All(receiver.Posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
    }
}
