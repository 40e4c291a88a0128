namespace Platform.Contracts.Subjects;

/// <summary>The actions carried on <c>command.sim.&lt;action&gt;</c>.</summary>
public static class CommandActions
{
    public const string SetCmdVel = "set_cmd_vel";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Reset = "reset";
    public const string Step = "step";
    public const string Set = "set";
    public const string Estop = "estop";
    public const string EstopClear = "estop_clear";
    public const string Subscribe = "subscribe";
}
