namespace Platform.TailerBench;

/// <summary>A way for lines appended to a file to reach a reader over a socket.</summary>
internal interface IDeliveryPath : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Starts delivering lines appended to <paramref name="file"/> (created empty by then) into <paramref name="stamps"/>.</summary>
    Task StartAsync(string file, LineStamps stamps);
}
