using Grpc.Net.Client;
using NATS.Client.Core;
using Platform.TestSupport;
using EncoderClient = Platform.Contracts.Encoder.V1.Encoder.EncoderClient;

namespace Platform.Encoder.Tests.Wired;

/// <summary>One nats-server and one encoder (default options) for the tests of the collection; each test uses its own stream.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class EncoderFixture : IAsyncLifetime
{
    /// <summary>Shorter than the default 5 s, so the takeover test is quick.</summary>
    public const int TakeoverAfterMs = 1500;

    public NatsServer Server { get; private set; } = null!;
    public NatsConnection Nats { get; private set; } = null!;
    internal EncoderHost Host { get; private set; } = null!;
    public GrpcChannel Channel { get; private set; } = null!;
    public EncoderClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await NatsServer.StartAsync();
        Nats = new NatsConnection(new NatsOpts { Url = Server.Url });
        await Nats.ConnectAsync();
        Host = await EncoderHost.StartAsync(Server.Url, new() { ["Encoder:IngestTakeoverAfterMs"] = TakeoverAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await EncoderHost.WaitForControlAsync(Nats);
        Channel = GrpcChannel.ForAddress(Host.GrpcAddress);
        Client = new EncoderClient(Channel);
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Host.DisposeAsync();
        await Nats.DisposeAsync();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedEncoder : ICollectionFixture<EncoderFixture>
{
    public const string Name = "encoder";
}
