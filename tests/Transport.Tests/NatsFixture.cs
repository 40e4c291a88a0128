using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.Transport.Tests;

/// <summary>One real nats-server (and a test-side connection) per test class.</summary>
public sealed class NatsFixture : IAsyncLifetime
{
    public NatsServer Server { get; private set; } = null!;
    public NatsConnection Nats { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await NatsServer.StartAsync();
        Nats = new NatsConnection(NatsOpts.Default with { Url = Server.Url, Name = "transport-tests" });
        await Nats.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await Nats.DisposeAsync();
        await Server.DisposeAsync();
    }
}
