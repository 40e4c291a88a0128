using System.Text.Json;
using System.Threading.Channels;
using Aspire.Hosting.Orchestration;

namespace Aspire.Hosting.Dashboard;

/// <summary>
/// The dashboard (first cut): the page, the JSON API (<c>/api/resources</c>, <c>/api/resources/{name}/logs</c>, live logs as
/// server-sent events at <c>.../logs/stream</c>) and the OTLP/HTTP receiver.
/// </summary>
internal static class DashboardEndpoints
{
    private const int MaxOtlpBody = 16 * 1024 * 1024;
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static void MapDashboard(this WebApplication app)
    {
        app.MapGet("/", () => Results.Stream(
            typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("dashboard.html")!, "text/html; charset=utf-8"));

        app.MapGet("/api/resources", (ResourceNotificationService notifications, OtlpTelemetryCounter telemetry) =>
            Results.Json(notifications.Current.Select(s => new ResourceView(s, telemetry.CountsFor(s.ResourceName))), s_json));

        app.MapGet("/api/resources/{name}/logs", (string name, long? after, Orchestrator orchestrator) =>
        {
            var instances = Find(orchestrator, name);
            if (instances.Count == 0) return Results.NotFound(new { error = $"no resource named '{name}'" });
            var lines = instances
                .SelectMany(i => i.Logs.Snapshot(after ?? 0).Select(l => new LogLineView(i.Name, l)))
                .OrderBy(l => l.Time)
                .ToList();
            return Results.Json(new { resource = name, lines }, s_json);
        });

        app.MapGet("/api/resources/{name}/logs/stream", async (string name, HttpContext context, Orchestrator orchestrator) =>
        {
            var instances = Find(orchestrator, name);
            if (instances.Count == 0)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            var aborted = context.RequestAborted;
            var merged = Channel.CreateUnbounded<LogLineView>();
            var pumps = instances.Select(async i =>
            {
                await foreach (var line in i.Logs.FollowAsync(aborted)) await merged.Writer.WriteAsync(new LogLineView(i.Name, line), aborted);
            }).ToList();
            try
            {
                await context.Response.Body.FlushAsync(aborted);
                await foreach (var line in merged.Reader.ReadAllAsync(aborted))
                {
                    await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(line, s_json)}\n\n", aborted);
                    if (merged.Reader.Count == 0) await context.Response.Body.FlushAsync(aborted);
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
            }
            await Task.WhenAll(pumps).ContinueWith(_ => { }, TaskScheduler.Default);
        });

        app.MapPost("/v1/{signal}", async (string signal, HttpContext context, OtlpTelemetryCounter telemetry) =>
        {
            if (signal is not ("traces" or "logs" or "metrics")) return Results.NotFound();
            if (context.Request.ContentType?.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase) != true)
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            if (context.Request.ContentLength > MaxOtlpBody) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            if (body.Length > MaxOtlpBody) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            if (!telemetry.Record(signal, body.ToArray())) return Results.BadRequest("not an OTLP export request");
            // An empty Export*ServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
    }

    private static List<ResourceInstance> Find(Orchestrator orchestrator, string name) =>
        orchestrator.Instances.Where(i => i.Name == name || i.Resource.Name == name).ToList();

    private sealed record ResourceView(ResourceSnapshot Resource, IReadOnlyDictionary<string, long> Telemetry)
    {
        public string Name => Resource.Name;
        public string ResourceName => Resource.ResourceName;
        public string Type => Resource.ResourceType;
        public string State => Resource.State;
        public string? Health => Resource.HealthStatus;
        public int? Pid => Resource.Pid;
        public int RestartCount => Resource.RestartCount;
        public int? ExitCode => Resource.ExitCode;
        public DateTimeOffset? StartedAt => Resource.StartedAt;
        public string? Message => Resource.Message;
        public IReadOnlyList<ResourceEndpointSnapshot> Endpoints => Resource.Endpoints;
        public IReadOnlyList<string> WaitsFor => Resource.WaitsFor;

        [System.Text.Json.Serialization.JsonIgnore]
        public ResourceSnapshot Resource { get; } = Resource;
    }

    private sealed record LogLineView(string Instance, long Sequence, DateTimeOffset Time, string Stream, string Text)
    {
        public LogLineView(string instance, LogLine line) : this(instance, line.Sequence, line.Time, line.IsError ? "stderr" : "stdout", line.Text)
        {
        }
    }
}
