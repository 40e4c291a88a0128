using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Hosting;

/// <summary>What the loop hands to the publishers: an ack, a safety event (after the sim acted) or a state record.</summary>
public abstract record SimOutput;

public sealed record AckOutput(CommandAck Ack) : SimOutput;

public sealed record SafetyEventOutput(SafetyEventMessage Event, long Step, double Time, SafetyMode Mode) : SimOutput;

public sealed record StateOutput(SimStateMessage State) : SimOutput;
