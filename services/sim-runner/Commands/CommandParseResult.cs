using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Commands;

/// <summary>Either a command to run or the ack that answers a payload that will not run (rejected or ignored).</summary>
public readonly record struct CommandParseResult(SimCommand? Command, CommandAck? Answer)
{
    public static CommandParseResult Ok(SimCommand command) => new(command, null);

    public static CommandParseResult Rejected(string action, long cmdSeq, string reason) => new(null, new CommandAck(action, cmdSeq, AckStatus.Rejected, reason));

    public static CommandParseResult Ignored(string action, long cmdSeq, string reason) => new(null, new CommandAck(action, cmdSeq, AckStatus.Ignored, reason));
}
