// The platform's app model (ARCHITECTURE.md section 3). `dotnet run --project AppHost` runs it under DCP with the
// dashboard on http://localhost:18888; `-- --publisher manifest --output-path <absolute path>` writes the manifest.
var builder = DistributedApplication.CreateBuilder(args)
    .WithFixedPortsChecked(); // a taken port is named in the console, with its override

// Infrastructure
var nats = builder.AddNatsServer("nats")
    .WithJetStream()
    .WithRestartOnFailure();

// The sim-runner writes JSONL telemetry that the telemetry-tailer streams: locally both use one folder at the
// repository root. A deployment mounts a shared volume at each service's default (logs/telemetry) instead.
var telemetryLogs = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "logs", "telemetry"));

// Safety: nothing moves without the authority; it needs NATS only.
builder.AddProject<Projects.SafetyAuthority>("safety-authority")
    .WithGrpcEndpoint()
    .WithReference(nats).WaitFor(nats)
    .WithSafetyCommands()
    .WithRestartOnFailure();

// Video is a soft dependency: nothing waits for the encoder, so safety and driving work without it.
var encoder = builder.AddProject<Projects.Encoder>("encoder")
    .WithGrpcEndpoint()
    .WithReference(nats).WaitFor(nats)
    .WithKeyframeCommand()
    .WithRestartOnFailure();

var sim = builder.AddProject<Projects.SimRunner>("sim-runner")
    .WithGrpcEndpoint()
    .WithReference(nats).WaitFor(nats)
    .WithReference(encoder)
    .WithRestartOnFailure();

// The browser edge: the viewer has a fixed port (8080, from the transport's Kestrel configuration); https for remote
// operators when the AppHost is given a certificate (README).
builder.AddProject<Projects.Transport>("transport")
    .WithGrpcEndpoint()
    .WithExternalHttpEndpoints()
    .WithOperatorTls()
    .WithReference(nats).WaitFor(nats)
    .WithViewerLink()
    .WithRestartOnFailure();

builder.AddProject<Projects.Recorder>("recorder")
    .WithGrpcEndpoint()
    .WithReference(nats).WaitFor(nats)
    .WithRestartOnFailure();

var tailer = builder.AddProject<Projects.TelemetryTailer>("telemetry-tailer")
    .WithGrpcEndpoint()
    .WithExternalHttpEndpoints()
    .WithOperatorTls()
    .WithReference(nats).WaitFor(nats)
    .WithRestartOnFailure();

if (builder.ExecutionContext.IsRunMode)
{
    sim.WithEnvironment("SimRunner__TelemetryLog__Directory", telemetryLogs);
    tailer.WithEnvironment("TelemetryTailer__Directory", telemetryLogs);
}

builder.Build().Run();
