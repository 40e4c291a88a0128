using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using NATS.Client.Core;
using Platform.Contracts.Subjects;
using Platform.SimRunner.Engine;
using Platform.TestSupport;
using Platform.Transport;
using Platform.Transport.Commands;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>One trace from the transport's command span, across NATS (traceparent in the headers), to the sim's apply span.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class CommandTraceTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly string _logDir = Path.Combine(Path.GetTempPath(), "platform-sim-" + Guid.NewGuid().ToString("N"));
    private NatsServer _server = null!;
    private NatsConnection _client = null!;
    private RunningService _sim = null!;

    public CommandTraceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is TransportTelemetry.ActivitySourceName or SimTelemetry.ActivitySourceName or NatsTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync()
    {
        _server = await NatsServer.StartAsync();
        _client = new NatsConnection(new NatsOpts { Url = _server.Url, Name = "transport-under-test" });
        await _client.ConnectAsync();
        _sim = await ServiceHosts.StartSimAsync(_server.Url, _logDir);
        await ServiceHosts.WaitForSimAsync(_client);
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _sim.ShutdownAsync();
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        try { Directory.Delete(_logDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_transport_command_and_the_sims_apply_span_are_one_trace()
    {
        var commands = new CommandPublisher(_client);
        var data = JsonSerializer.SerializeToElement(new { linear_x = 0.1, linear_y = 0.0, angular_z = 0.0 });
        const long seq = 4242;

        Activity? command = null, apply = null;
        await Eventually.WaitAsync(async () =>
        {
            // Repeated until applied: the sim's command subscription may still be settling.
            if (command is null || apply is null) await commands.PublishAsync(CommandActions.SetCmdVel, seq, data, 500, "trace-test", null, CancellationToken.None);
            var spans = _stopped.ToArray();
            apply = spans.FirstOrDefault(a => a.Source.Name == SimTelemetry.ActivitySourceName && a.OperationName == $"apply {CommandActions.SetCmdVel}"
                && Equals(a.GetTagItem("platform.command.cmd_seq"), seq));
            command = apply is null ? null : spans.FirstOrDefault(a => a.Source.Name == TransportTelemetry.ActivitySourceName && a.TraceId == apply.TraceId);
            return command is not null;
        }, "the sim's apply span in the transport command's trace", TimeSpan.FromSeconds(30));

        var byId = _stopped.ToArray().Where(a => a.TraceId == apply!.TraceId).ToDictionary(a => a.SpanId);
        // Walk up from the apply span: through NATS.Net's receive span (whose parent came over the wire) and publish span to the command.
        var chain = new List<Activity>();
        for (var at = apply; at is not null; at = byId.GetValueOrDefault(at.ParentSpanId)) chain.Add(at);
        Assert.Equal(command, chain[^1]);
        Assert.Contains(chain, a => a.Source.Name == NatsTelemetry.SourceName && a.Kind == ActivityKind.Consumer && a.HasRemoteParent);
        Assert.Contains(chain, a => a.Source.Name == NatsTelemetry.SourceName && a.Kind == ActivityKind.Producer);
    }
}
