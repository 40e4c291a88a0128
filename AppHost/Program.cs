using Platform.AppHost;

// The platform's app model (ARCHITECTURE.md section 3). `dotnet run --project AppHost` runs it locally with the dashboard
// on http://localhost:18888; `-- --publisher manifest --output-path ../aspire-manifest.json` writes the deployment manifest.
var builder = DistributedApplication.CreateBuilder(args);

var nats = builder.AddNats("nats");

// The sim-runner writes JSONL telemetry that the telemetry-tailer streams: locally both use one folder at the
// repository root. A deployment mounts a shared volume at each service's default (logs/telemetry) instead.
var telemetryLogs = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "logs", "telemetry"));

var safety = builder.AddProject<Projects.SafetyAuthority>("safety-authority")
    .WithHttpEndpoint()
    .WithGrpcEndpoint()
    .WithReference(nats)
    .WaitFor(nats);

var encoder = builder.AddProject<Projects.Encoder>("encoder")
    .WithHttpEndpoint()
    .WithGrpcEndpoint()
    .WithReference(nats)
    .WaitFor(nats);

var sim = builder.AddProject<Projects.SimRunner>("sim-runner")
    .WithHttpEndpoint()
    .WithGrpcEndpoint()
    .WithReference(nats)
    .WithReference(safety)
    .WithReference(encoder)
    .WaitFor(nats)
    .WaitFor(safety)
    .WaitFor(encoder);
if (builder.ExecutionContext.IsRunMode)
    sim.WithEnvironment("SimRunner__TelemetryLog__Directory", telemetryLogs);

// The browser edge: the viewer has a fixed port.
builder.AddProject<Projects.Transport>("transport")
    .WithHttpEndpoint(port: 8080)
    .WithGrpcEndpoint()
    .WithExternalHttpEndpoints()
    .WithReference(nats)
    .WithReference(encoder)
    .WithReference(safety)
    .WithReference(sim)
    .WaitFor(nats)
    .WaitFor(encoder)
    .WaitFor(safety)
    .WaitFor(sim);

builder.AddProject<Projects.Recorder>("recorder")
    .WithHttpEndpoint()
    .WithGrpcEndpoint()
    .WithReference(nats)
    .WithReference(encoder)
    .WaitFor(nats)
    .WaitFor(encoder);

var tailer = builder.AddProject<Projects.TelemetryTailer>("telemetry-tailer")
    .WithHttpEndpoint()
    .WithGrpcEndpoint()
    .WithExternalHttpEndpoints()
    .WithReference(nats)
    .WaitFor(nats);

if (builder.ExecutionContext.IsRunMode)
    tailer.WithEnvironment("TelemetryTailer__Directory", telemetryLogs);

builder.Build().Run();
