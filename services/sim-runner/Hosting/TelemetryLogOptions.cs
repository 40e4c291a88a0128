namespace Platform.SimRunner.Hosting;

/// <summary>The JSONL telemetry log (the telemetry tailer's input), bound from <c>SimRunner:TelemetryLog</c>.</summary>
public sealed class TelemetryLogOptions
{
    /// <summary>Folder of the session files; relative paths are taken from the working directory.</summary>
    public string Directory { get; set; } = Path.Combine("logs", "telemetry");

    /// <summary>The session name (the file is <c>&lt;session&gt;.jsonl</c>); empty means <c>sim-&lt;UTC start time&gt;</c>.</summary>
    public string? SessionId { get; set; }

    public bool Enabled { get; set; } = true;
}
