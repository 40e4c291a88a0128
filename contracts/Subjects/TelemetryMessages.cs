namespace Platform.Contracts.Subjects;

/// <summary>
/// <c>telemetry.sim.state</c>: frame (physics step), sim time in seconds, the sim's effective safety mode, and
/// the value of every signal in schema order (<c>names</c> gives that order).
/// </summary>
public sealed record SimStateMessage(
    long Frame,
    double Time,
    SafetyMode Mode,
    bool Paused,
    IReadOnlyList<string> Names,
    IReadOnlyList<double> Values);

/// <summary>One signal of the schema.</summary>
public sealed record SignalDescriptor(string Name, string Module, string Unit, bool Writable);

/// <summary><c>telemetry.sim.schema</c> reply.</summary>
public sealed record SimSchemaMessage(
    IReadOnlyList<string> Modules,
    IReadOnlyList<SignalDescriptor> Signals,
    int PhysicsHz,
    int TelemetryHz);
