namespace Platform.Nats;

/// <summary>Per-publish options (shape of NATS.Net's <c>NatsPubOpts</c>).</summary>
public sealed record NatsPubOpts
{
    /// <summary>Wait until the publish has been written to the socket (not only queued).</summary>
    public bool WaitUntilSent { get; init; }
}
