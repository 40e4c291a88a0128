namespace Platform.Contracts.Subjects;

/// <summary>The NATS subject catalog (ARCHITECTURE.md section 5). Every publisher and subscriber names subjects through here.</summary>
public static class SubjectNames
{
    public const string CommandPrefix = "command.sim.";

    /// <summary>Every sim command: <c>command.sim.&gt;</c>.</summary>
    public const string AllCommands = "command.sim.>";

    public const string CommandAck = "telemetry.command.ack";
    public const string SimState = "telemetry.sim.state";
    public const string SimSchema = "telemetry.sim.schema";
    public const string SafetyState = "safety.state";
    public const string SafetyEventPrefix = "safety.event.";

    /// <summary>Every source's safety events: <c>safety.event.*</c>.</summary>
    public const string AllSafetyEvents = "safety.event.*";

    public const string VideoGate = "telemetry.safety.video_gate";

    public const string VideoPrefix = "video.";
    public const string SessionPrefix = "session.";

    /// <summary>Every session's terminate request: <c>session.*.terminate</c>.</summary>
    public const string AllSessionTerminates = "session.*.terminate";

    public static string Command(string action) => CommandPrefix + action;

    public static string SafetyEvent(string source) => SafetyEventPrefix + source;

    /// <summary><c>video.&lt;stream&gt;.live</c>: low-latency access units for viewers.</summary>
    public static string VideoLive(string stream) => VideoPrefix + stream + ".live";

    /// <summary><c>video.&lt;stream&gt;.record</c>: the record profile's access units for the recorder, while it holds a record lease (<see cref="VideoControlRequest"/>).</summary>
    public static string VideoRecord(string stream) => VideoPrefix + stream + ".record";

    /// <summary><c>video.&lt;stream&gt;.control</c>: keyframe, bitrate and record lease requests (request/reply).</summary>
    public static string VideoControl(string stream) => VideoPrefix + stream + ".control";

    /// <summary><c>session.&lt;id&gt;.terminate</c>: the recorder asks the transport to end a session.</summary>
    public static string SessionTerminate(string sessionId) => SessionPrefix + sessionId + ".terminate";

    /// <summary>The id of a <c>session.&lt;id&gt;.terminate</c> subject, or null when the subject is not one.</summary>
    public static string? SessionOf(string subject)
    {
        const string suffix = ".terminate";
        return subject.StartsWith(SessionPrefix, StringComparison.Ordinal)
            && subject.EndsWith(suffix, StringComparison.Ordinal)
            && subject.Length > SessionPrefix.Length + suffix.Length
                ? subject[SessionPrefix.Length..^suffix.Length]
                : null;
    }

    /// <summary>The action of a <c>command.sim.&lt;action&gt;</c> subject, or null when the subject is not one.</summary>
    public static string? ActionOf(string subject)
        => subject.StartsWith(CommandPrefix, StringComparison.Ordinal) && subject.Length > CommandPrefix.Length
            ? subject[CommandPrefix.Length..]
            : null;

    /// <summary>The source of a <c>safety.event.&lt;source&gt;</c> subject, or null when the subject is not one.</summary>
    public static string? SourceOf(string subject)
        => subject.StartsWith(SafetyEventPrefix, StringComparison.Ordinal) && subject.Length > SafetyEventPrefix.Length
            ? subject[SafetyEventPrefix.Length..]
            : null;
}
