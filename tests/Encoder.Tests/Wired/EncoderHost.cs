using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.Encoder.Tests.Wired;

/// <summary>The encoder's real Program (WebApplicationFactory&lt;Program&gt;) on Kestrel: gRPC over h2c on a free port, a real NATS client.</summary>
internal sealed class EncoderHost : IAsyncDisposable
{
    private readonly Factory _factory;

    private EncoderHost(Factory factory, int port)
    {
        _factory = factory;
        GrpcAddress = $"http://127.0.0.1:{port}";
    }

    public string GrpcAddress { get; }

    public LogCapture Logs => _factory.Logs;

    public T Get<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    /// <summary>Starts the service; <paramref name="configure"/> may replace its registrations after Program's (the last one wins).</summary>
    public static Task<EncoderHost> StartAsync(string natsUrl, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var port = FreePort.Next();
        var factory = new Factory(new Dictionary<string, string?>(settings ?? [])
        {
            ["ConnectionStrings:nats"] = natsUrl,
            // The endpoints of appsettings.json (gRPC: h2c, Protocols Http2), on loopback ports of this test's own.
            ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{port}",
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
            // A test ends with calls that may still be open; their streams are cut after this long.
            ["shutdownTimeoutSeconds"] = "5",
        }, configure);
        try
        {
            factory.UseKestrel();
            factory.StartServer();
            return Task.FromResult(new EncoderHost(factory, port));
        }
        catch
        {
            factory.Dispose();
            throw;
        }
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

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class Factory(Dictionary<string, string?> settings, Action<IServiceCollection>? configure) : WebApplicationFactory<Program>
    {
        public LogCapture Logs { get; } = new();

        // Host configuration reaches Program as command-line arguments, so it is there before Program reads it
        // (AddServiceDefaults reads the NATS URL and the OTLP endpoint while the builder is being composed).
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(settings));
            return base.CreateHost(builder);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Every line the service logs, whatever the console shows.
            builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<LogCapture>(null, LogLevel.Debug));
            if (configure is not null) builder.ConfigureTestServices(configure);
        }
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
