using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Engine;

/// <summary>What one tick produced, in order: the acks to publish and the safety events (after the sim acted).</summary>
public sealed class EngineOutput
{
    public List<CommandAck> Acks { get; } = [];
    public List<SafetyEventMessage> Events { get; } = [];

    public void Clear()
    {
        Acks.Clear();
        Events.Clear();
    }
}
