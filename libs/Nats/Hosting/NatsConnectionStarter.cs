using Microsoft.Extensions.Hosting;

namespace Platform.Nats;

/// <summary>Starts connecting when the host starts, without making the host wait for NATS.</summary>
internal sealed class NatsConnectionStarter(INatsConnection connection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // RetryOnInitialConnect keeps this going in the background; failures are logged by the connection.
        _ = connection.ConnectAsync().AsTask().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
