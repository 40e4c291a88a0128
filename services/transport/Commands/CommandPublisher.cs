using System.Diagnostics;
using System.Text.Json;
using Platform.Contracts.Subjects;
using NATS.Client.Core;

namespace Platform.Transport.Commands;

/// <summary>
/// Publishes <c>command.sim.&lt;action&gt;</c> envelopes, each under its own Activity from "Platform.Transport", so the
/// NATS client puts that trace's <c>traceparent</c> in the headers and one command is one trace.
/// </summary>
public sealed class CommandPublisher(INatsConnection nats, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The transport's own identity in <c>source</c> (latch zero, estop).</summary>
    public const string TransportSource = "transport";

    /// <summary>
    /// Publishes one command as the root of its own trace: the client's WebSocket request is Activity.Current for the
    /// whole connection, so without a new root every command of a connection would share one trace. The command span
    /// links to the connection's span instead.
    /// </summary>
    public async ValueTask PublishAsync(string action, long cmdSeq, JsonElement? data, int? ttlMs, string source, string? session, CancellationToken cancellationToken)
    {
        var connection = Activity.Current;
        Activity.Current = null;
        try
        {
            using var activity = TransportTelemetry.Source.StartActivity(ActivityKind.Server, default(ActivityContext),
                links: connection is null ? null : [new ActivityLink(connection.Context)], name: $"command {action}");
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("platform.command.action", action);
                activity.SetTag("platform.command.cmd_seq", cmdSeq);
                activity.SetTag("platform.client.id", source);
                if (session is not null) activity.SetTag("platform.session.id", session);
            }
            var envelope = new CommandEnvelope(action, cmdSeq, data, ttlMs, source, _time.GetUtcNow().ToUnixTimeMilliseconds());
            var payload = JsonSerializer.SerializeToUtf8Bytes(envelope, SubjectsJsonContext.Default.CommandEnvelope);
            await nats.PublishAsync(SubjectNames.Command(action), payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Activity.Current = connection;
        }
    }
}
