using Microsoft.Extensions.Logging;

namespace Platform.Media.Tests;

/// <summary>An ILogger that keeps every entry, to assert on what was logged.</summary>
internal sealed class CollectingLogger : ILogger
{
    private readonly Lock gate = new();
    private readonly List<(LogLevel Level, string Message)> entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries { get { lock (gate) return [.. entries]; } }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (gate) entries.Add((logLevel, formatter(state, exception)));
    }
}
