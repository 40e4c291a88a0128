namespace Platform.SimRunner.Commands;

/// <summary>A validated <c>command.sim.&lt;action&gt;</c>. <see cref="Source"/> is the client identity (for cmd_seq ordering).</summary>
public abstract record SimCommand(string Action, long CmdSeq, string Source, int? TtlMs);

public sealed record SetCmdVelCommand(long CmdSeq, string Source, int? TtlMs, double LinearX, double LinearY, double AngularZ, string? Robot)
    : SimCommand(Contracts.Subjects.CommandActions.SetCmdVel, CmdSeq, Source, TtlMs);

public sealed record PauseCommand(long CmdSeq, string Source) : SimCommand(Contracts.Subjects.CommandActions.Pause, CmdSeq, Source, null);

public sealed record ResumeCommand(long CmdSeq, string Source) : SimCommand(Contracts.Subjects.CommandActions.Resume, CmdSeq, Source, null);

/// <summary>Reset to step 0; <see cref="Seed"/> replaces the scenario's seed when given.</summary>
public sealed record ResetCommand(long CmdSeq, string Source, int? Seed) : SimCommand(Contracts.Subjects.CommandActions.Reset, CmdSeq, Source, null);

public sealed record StepCommand(long CmdSeq, string Source, int Count) : SimCommand(Contracts.Subjects.CommandActions.Step, CmdSeq, Source, null);

public sealed record SetSignalCommand(long CmdSeq, string Source, string Signal, double Value)
    : SimCommand(Contracts.Subjects.CommandActions.Set, CmdSeq, Source, null);

public sealed record EstopCommand(long CmdSeq, string Source, string Reason) : SimCommand(Contracts.Subjects.CommandActions.Estop, CmdSeq, Source, null);

public sealed record EstopClearCommand(long CmdSeq, string Source, string Operator)
    : SimCommand(Contracts.Subjects.CommandActions.EstopClear, CmdSeq, Source, null);
