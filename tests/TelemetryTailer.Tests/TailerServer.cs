using Microsoft.Extensions.DependencyInjection;
using Platform.TelemetryTailer.Tailing;
using Platform.TestSupport;

namespace Platform.TelemetryTailer.Tests;

/// <summary>The tailer service's real Program over a test folder, on a free loopback port, against a real nats-server.</summary>
public sealed class TailerServer : IAsyncDisposable
{
    private readonly ServiceProgram _program;
    private readonly NatsServer? _ownNats;

    private TailerServer(ServiceProgram program, NatsServer? ownNats)
    {
        _program = program;
        _ownNats = ownNats;
    }

    public string WebSocketUrl => $"ws://127.0.0.1:{_program.HttpAddress.Port}/ws/telemetry";
    public IServiceProvider Services => _program.Services;
    public TelemetryHub Hub => _program.Get<TelemetryHub>();

    /// <summary>With a nats-server of its own: the service needs one (ServiceDefaults), the test does not look at it.</summary>
    public static Task<TailerServer> StartAsync(string folder, Action<TelemetryTailerOptions>? configure = null, params ITelemetrySink[] sinks)
        => StartAsync(folder, new Dictionary<string, string?>(), configure, sinks);

    /// <summary>With a nats-server of its own and <paramref name="settings"/> added to its configuration.</summary>
    public static async Task<TailerServer> StartAsync(string folder, IReadOnlyDictionary<string, string?> settings, Action<TelemetryTailerOptions>? configure = null, params ITelemetrySink[] sinks)
    {
        var nats = await NatsServer.StartAsync();
        try
        {
            return await StartAsync(folder, nats.Url, nats, configure, sinks, settings);
        }
        catch
        {
            await nats.DisposeAsync();
            throw;
        }
    }

    /// <summary>The service gets <paramref name="natsUrl"/> as ConnectionStrings:nats, as the AppHost gives it.</summary>
    public static Task<TailerServer> StartAsync(string folder, string natsUrl, Action<TelemetryTailerOptions>? configure = null, params ITelemetrySink[] sinks)
        => StartAsync(folder, natsUrl, ownNats: null, configure, sinks, new Dictionary<string, string?>());

    private static async Task<TailerServer> StartAsync(string folder, string natsUrl, NatsServer? ownNats, Action<TelemetryTailerOptions>? configure, ITelemetrySink[] sinks,
        IReadOnlyDictionary<string, string?> settings)
    {
        var program = await ServiceProgram.StartAsync<Program>(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:nats"] = natsUrl,
            ["TelemetryTailer:Directory"] = folder,
            ["TelemetryTailer:ScanInterval"] = "00:00:00.200",
        }, services =>
        {
            if (configure is not null) services.PostConfigure(configure);
            foreach (var sink in sinks) services.AddSingleton(sink);
        });
        try
        {
            await program.Get<DirectoryTailer>().Started.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch
        {
            await program.DisposeAsync();
            throw;
        }
        return new TailerServer(program, ownNats);
    }

    public SessionInfo? Session(string sessionId) => Hub.Sessions().FirstOrDefault(s => s.SessionId == sessionId);

    public async ValueTask DisposeAsync()
    {
        await _program.DisposeAsync();
        if (_ownNats is not null) await _ownNats.DisposeAsync();
    }
}
