using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.TestSupport;

/// <summary>
/// A service's real Program.cs, booted by <see cref="WebApplicationFactory{TEntryPoint}"/> on Kestrel so that peers
/// (nats-server, grpc-js, WebSocket clients) reach it over real sockets. Its Kestrel endpoints, named as in the services'
/// appsettings.json, listen on loopback ports the OS picks: "http" (HTTP/1.1) and "grpc" (h2c). Settings reach the
/// Program as configuration, as the AppHost's environment does, before Program.cs reads them. The OTLP exporter stays
/// off unless a test sets <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
/// </summary>
public sealed class ServiceProgram : IAsyncDisposable
{
    private readonly IKestrelFactory _factory;

    private ServiceProgram(IKestrelFactory factory) => _factory = factory;

    public IServiceProvider Services => _factory.Services;

    /// <summary>The "http" endpoint (HTTP/1.1): health, WebSockets, the service's HTTP API.</summary>
    public Uri HttpAddress => _factory.Address("http");

    /// <summary>The "grpc" endpoint (HTTP/2 without TLS).</summary>
    public Uri GrpcAddress => _factory.Address("grpc");

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Builds and starts <typeparamref name="TProgram"/>'s Program with <paramref name="settings"/> over its appsettings.json,
    /// and <paramref name="configureServices"/> run after its own registrations (to add or replace a service).
    /// </summary>
    public static async Task<ServiceProgram> StartAsync<TProgram>(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
        where TProgram : class
    {
        var factory = new Factory<TProgram>(settings, configureServices);
        try
        {
            // StartServer blocks until the host has started: off the test's synchronization context.
            await Task.Run(factory.StartServer);
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
        return new ServiceProgram(factory);
    }

    /// <summary>Stops the service (its hosted services stop, its sockets close) and disposes it.</summary>
    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private interface IKestrelFactory : IAsyncDisposable
    {
        IServiceProvider Services { get; }

        Uri Address(string endpoint);
    }

    private sealed class Factory<TProgram> : WebApplicationFactory<TProgram>, IKestrelFactory where TProgram : class
    {
        private static readonly Dictionary<string, string?> Defaults = new()
        {
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            // A developer's AppHost may be running: its dashboard must not receive the tests' telemetry.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        private readonly IReadOnlyDictionary<string, string?> _settings;
        private readonly Action<IServiceCollection>? _configureServices;
        private readonly Dictionary<string, ListenOptions> _endpoints = [];

        public Factory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices)
        {
            _settings = settings;
            _configureServices = configureServices;
            UseKestrel(kestrel => kestrel.ConfigurationLoader!
                .Endpoint("http", endpoint => _endpoints["http"] = endpoint.ListenOptions)
                .Endpoint("grpc", endpoint => _endpoints["grpc"] = endpoint.ListenOptions));
        }

        /// <summary>Kestrel writes the port it bound back into the endpoint's options.</summary>
        public Uri Address(string endpoint) => _endpoints.TryGetValue(endpoint, out var options) && options.IPEndPoint is { Port: > 0 } bound
            ? new Uri($"http://127.0.0.1:{bound.Port}")
            : throw new InvalidOperationException($"{typeof(TProgram).Assembly.GetName().Name} has no Kestrel endpoint \"{endpoint}\" bound");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in Defaults.Concat(_settings)) builder.UseSetting(key, value);
            builder.ConfigureTestServices(services =>
            {
                services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
                _configureServices?.Invoke(services);
            });
        }
    }
}
