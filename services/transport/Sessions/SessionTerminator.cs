using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;
using Platform.Transport.Streaming;

namespace Platform.Transport.Sessions;

/// <summary>
/// <c>session.&lt;id&gt;.terminate</c> (from the recorder: a session without its record does not go on) ends every
/// <c>/stream/ws</c> client of that session: a final 0x02 session.terminated, then close 1008 with the reason.
/// </summary>
public sealed partial class SessionTerminator(NatsSubscriptionLoop runner, StreamHub hub, ILogger<SessionTerminator> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runner.RunAsync(SubjectNames.AllSessionTerminates, OnTerminate, stoppingToken);

    private ValueTask OnTerminate(NatsMsg<byte[]> msg)
    {
        var session = SubjectNames.SessionOf(msg.Subject);
        if (session is null) return ValueTask.CompletedTask;
        SessionTerminateMessage? request = null;
        try
        {
            request = JsonSerializer.Deserialize(msg.Data ?? [], SubjectsJsonContext.Default.SessionTerminateMessage);
        }
        catch (JsonException ex)
        {
            LogUnreadable(msg.Subject, ex.Message);
        }
        // An unreadable request still ends the session: the recorder asked, and going on without a record is what it prevents.
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? "terminated" : request.Reason;
        var closed = hub.TerminateSession(session, reason, request?.Detail);
        LogTerminated(session, reason, request?.Detail, closed);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} terminated ({Reason}: {Detail}): closing {Clients} client(s)")]
    private partial void LogTerminated(string session, string reason, string? detail, int clients);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unreadable terminate request on {Subject}: {Error}; ending the session anyway")]
    private partial void LogUnreadable(string subject, string error);
}
