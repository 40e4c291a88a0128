using NATS.Client.Core;

namespace Platform.ViewerBench;

/// <summary>Where the frames come from: a NATS connection to watch them on, and the viewer's URL.</summary>
internal interface IBenchPlatform : IAsyncDisposable
{
    /// <summary>One line saying what makes the frames and where Capture-Ts is stamped.</summary>
    string Description { get; }

    INatsConnection Nats { get; }

    string ViewerUrl { get; }
}
