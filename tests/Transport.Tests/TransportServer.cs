using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults.Nats;
using Platform.TestSupport;
using Platform.Transport.Streaming;

namespace Platform.Transport.Tests;

/// <summary>
/// The transport's real Program (<see cref="ServiceProgram"/>) on a free loopback port, against a real nats-server:
/// browsers, WebSocket clients and NATS peers reach it over a real socket.
/// </summary>
public sealed class TransportServer : IAsyncDisposable
{
    private readonly ServiceProgram _program;

    private TransportServer(ServiceProgram program)
    {
        _program = program;
        Port = program.HttpAddress.Port;
    }

    public int Port { get; }
    public IServiceProvider Services => _program.Services;
    public StreamHub Hub => Services.GetRequiredService<StreamHub>();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The "grpc" endpoint (h2c): health and reflection.</summary>
    public Uri GrpcAddress => _program.GrpcAddress;

    public Uri StreamUrl(string query = "") => new($"ws://127.0.0.1:{Port}{StreamEndpoint.Path}{(query.Length > 0 ? "?" + query : "")}");

    public Uri SignalsUrl(string query = "") => new($"ws://127.0.0.1:{Port}/ws/signals{(query.Length > 0 ? "?" + query : "")}");

    /// <summary>
    /// Starts on a free port, or on <paramref name="requestedPort"/> (a restart where clients expect it), with
    /// <paramref name="settings"/> added to its configuration.
    /// </summary>
    public static async Task<TransportServer> StartAsync(string natsUrl, Action<TransportOptions>? configure = null, int? requestedPort = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["ConnectionStrings:nats"] = natsUrl };
        if (requestedPort is { } port) all["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{port}";
        var program = await ServiceProgram.StartAsync<Program>(all, configure is null ? null : services => services.PostConfigure(configure));
        try
        {
            var subscriptions = program.Get<NatsSubscriptionLoop>();
            await Eventually.WaitAsync(() => subscriptions.Down.Count == 0, "transport's NATS subscriptions up", TimeSpan.FromSeconds(15));
            return new TransportServer(program);
        }
        catch
        {
            await program.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _program.DisposeAsync();
}
