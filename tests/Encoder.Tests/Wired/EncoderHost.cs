using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Encoder.Hosting;
using NATS.Client.Core;
using OpenTelemetry.Trace;
using Platform.TestSupport;

namespace Platform.Encoder.Tests.Wired;

/// <summary>The real encoder service in-process, wired as its Program.cs does: gRPC on Kestrel (h2c, free port), a real NATS client.</summary>
internal sealed class EncoderHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EncoderHost(WebApplication app, int port, LogCapture logs)
    {
        _app = app;
        GrpcAddress = $"http://127.0.0.1:{port}";
        Logs = logs;
    }

    public string GrpcAddress { get; }

    public LogCapture Logs { get; }

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Starts the service; <paramref name="configure"/> may replace its registrations after AddEncoder (the last one wins).</summary>
    public static async Task<EncoderHost> StartAsync(string natsUrl, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        // Only the test's settings: the service's appsettings.json (copied here) pins Kestrel ports for local runs.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings ?? []) { ["ConnectionStrings:nats"] = natsUrl });
        var logs = new LogCapture();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.AddNatsClient("nats");
        builder.AddDefaultHealthChecks();
        builder.AddGrpcServerDefaults();
        // As ServiceDefaults does: the Ingest call's server span is recorded, so each frame's publish span (and its
        // traceparent header) is a sampled child of it.
        builder.Services.AddOpenTelemetry().WithTracing(t => t.AddSource("Microsoft.AspNetCore"));
        builder.AddEncoder();
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGrpcDefaultEndpoints();
        app.MapGrpcService<EncoderGrpcService>();
        await app.StartAsync();
        return new EncoderHost(app, port, logs);
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

    public async ValueTask DisposeAsync()
    {
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(soon.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
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
