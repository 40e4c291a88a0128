using Microsoft.Extensions.Logging;

namespace Platform.TestSupport;

/// <summary>An ILogger that keeps every entry, to assert on what was logged.</summary>
public class CollectingLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries { get { lock (_gate) return [.. _entries]; } }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate) _entries.Add((logLevel, formatter(state, exception)));
    }
}

/// <summary>The typed <see cref="CollectingLogger"/>, for constructors that take an <see cref="ILogger{TCategoryName}"/>.</summary>
public sealed class CollectingLogger<T> : CollectingLogger, ILogger<T>;

/// <summary>Hands one <see cref="CollectingLogger"/> to every category: what a whole host logged.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public CollectingLogger Logger { get; } = new();

    public ILogger CreateLogger(string categoryName) => Logger;

    public void Dispose()
    {
    }
}
