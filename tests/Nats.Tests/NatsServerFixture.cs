using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.Nats.Tests;

/// <summary>One real nats-server (JetStream on) shared by the tests of a class.</summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    public NatsServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await NatsServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public NatsConnection Connect(Func<NatsOpts, NatsOpts>? configure = null)
    {
        var opts = NatsOpts.Default with { Url = Server.Url, ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(500) };
        return new NatsConnection(configure is null ? opts : configure(opts));
    }
}
