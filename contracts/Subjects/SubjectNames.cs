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

    public static string Command(string action) => CommandPrefix + action;

    public static string SafetyEvent(string source) => SafetyEventPrefix + source;

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
