using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace Platform.Grpc.Shared;

/// <summary>The Activity per call and the call metrics, on both sides (OpenTelemetry RPC conventions).</summary>
internal static class GrpcDiagnostics
{
    public static readonly ActivitySource ActivitySource = new(GrpcTelemetry.ActivitySourceName);
    private static readonly Meter Meter = new(GrpcTelemetry.MeterName);

    private static readonly Counter<long> ServerCalls = Meter.CreateCounter<long>("rpc.server.calls", "{call}", "gRPC calls handled, by method and status code.");
    private static readonly Histogram<double> ServerDuration = Meter.CreateHistogram<double>("rpc.server.duration", "s", "Duration of handled gRPC calls.");
    private static readonly UpDownCounter<long> ServerActive = Meter.CreateUpDownCounter<long>("rpc.server.active_calls", "{call}", "gRPC calls being handled.");
    private static readonly Counter<long> ClientCalls = Meter.CreateCounter<long>("rpc.client.calls", "{call}", "gRPC calls made, by method and status code.");
    private static readonly Histogram<double> ClientDuration = Meter.CreateHistogram<double>("rpc.client.duration", "s", "Duration of gRPC calls made.");

    public static Activity? StartServerActivity(IMethod method, string? traceParent, string? traceState)
    {
        if (!ActivitySource.HasListeners()) return null;
        // The hosting layer may already have continued the caller's trace (Activity.Current); otherwise continue it here.
        ActivityContext parent = default;
        if (Activity.Current is null && traceParent is not null)
            ActivityContext.TryParse(traceParent, traceState, isRemote: true, out parent);
        var activity = ActivitySource.StartActivity(method.FullName, ActivityKind.Server, parent);
        Tag(activity, method);
        return activity;
    }

    public static Activity? StartClientActivity(IMethod method)
    {
        if (!ActivitySource.HasListeners()) return null;
        var activity = ActivitySource.StartActivity(method.FullName, ActivityKind.Client);
        Tag(activity, method);
        return activity;
    }

    public static void ServerCallStarted() => ServerActive.Add(1);

    public static void ServerCallEnded(IMethod method, StatusCode status, long startTimestamp, Activity? activity)
    {
        ServerActive.Add(-1);
        Record(ServerCalls, ServerDuration, method, status, startTimestamp, activity);
    }

    public static void ClientCallEnded(IMethod method, StatusCode status, long startTimestamp, Activity? activity)
        => Record(ClientCalls, ClientDuration, method, status, startTimestamp, activity);

    private static void Record(Counter<long> calls, Histogram<double> duration, IMethod method, StatusCode status, long startTimestamp, Activity? activity)
    {
        var tags = new TagList
        {
            { "rpc.system", "grpc" },
            { "rpc.method", method.FullName },
            { "rpc.grpc.status_code", (int)status },
        };
        calls.Add(1, tags);
        duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
        if (activity is not null)
        {
            activity.SetTag("rpc.grpc.status_code", (int)status);
            if (status != StatusCode.OK) activity.SetStatus(ActivityStatusCode.Error, status.ToString());
            activity.Dispose();
        }
    }

    private static void Tag(Activity? activity, IMethod method)
    {
        if (activity is null) return;
        activity.SetTag("rpc.system", "grpc");
        activity.SetTag("rpc.service", method.ServiceName);
        activity.SetTag("rpc.method", method.Name);
    }
}
