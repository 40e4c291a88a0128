using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.Encoder.Tests.Wired;

/// <summary>The encoder's real Program (<see cref="ServiceProgram"/>): gRPC over h2c on a free port, a real NATS client.</summary>
internal sealed class EncoderHost : IAsyncDisposable
{
    private readonly ServiceProgram _program;

    private EncoderHost(ServiceProgram program, LogCapture logs)
    {
        _program = program;
        Logs = logs;
        GrpcAddress = $"http://127.0.0.1:{program.GrpcAddress.Port}";
    }

    public string GrpcAddress { get; }

    public LogCapture Logs { get; }

    public T Get<T>() where T : notnull => _program.Get<T>();

    /// <summary>Starts the service; <paramref name="configure"/> may replace its registrations after Program's (the last one wins).</summary>
    public static async Task<EncoderHost> StartAsync(string natsUrl, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var logs = new LogCapture();
        var program = await ServiceProgram.StartAsync<Program>(new Dictionary<string, string?>(settings ?? []) { ["ConnectionStrings:nats"] = natsUrl }, services =>
        {
            // Every line the service logs, whatever the console shows.
            services.AddSingleton<ILoggerProvider>(logs);
            services.Configure<LoggerFilterOptions>(o => o.AddFilter<LogCapture>(null, LogLevel.Debug));
            configure?.Invoke(services);
        });
        return new EncoderHost(program, logs);
    }

    /// <summary>Waits until the control subscription answers (an unknown stream gets an error reply, not "no responders").</summary>
    public static Task WaitForControlAsync(INatsConnection client) => Eventually.WaitAsync(async () =>
    {
        try
        {
            var reply = await client.RequestAsync<byte[], byte[]>("video.readiness-probe.control", "{\"keyframe\":true}"u8.ToArray(),
                replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromMilliseconds(500) });
            return reply.Data is { Length: > 0 };
        }
        catch (NatsException)
        {
            return false;
        }
    }, "the encoder answering video.*.control", TimeSpan.FromSeconds(20));

    public ValueTask DisposeAsync() => _program.DisposeAsync();
}

/// <summary>Keeps the host's log lines so tests can check what the service said.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner._lines.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
