using Platform.SimRunner.Engine;

namespace Platform.SimRunner.Rendering;

/// <summary>
/// Hands the renderer the newest <see cref="SceneSnapshot"/>: the sim loop captures one after every tick (two small
/// allocations, well under a microsecond) and publishes it with one reference write, as the outbox keeps the latest
/// state; the renderer reads whichever is newest and never blocks the loop.
/// </summary>
public sealed class SceneSnapshotSource
{
    private volatile SceneSnapshot? _latest;

    public SceneSnapshot? Latest => _latest;

    public void Capture(SimEngine engine) => _latest = SceneSnapshot.Capture(engine);
}
