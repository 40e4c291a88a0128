using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Publishing;

namespace Aspire.Hosting;

/// <summary>
/// The running app (Aspire's shape): starts every resource and the dashboard, or, with <c>--publisher</c>, writes
/// the deployment artifacts and exits.
/// </summary>
public sealed class DistributedApplication : IHost, IAsyncDisposable
{
    private readonly WebApplication _host;
    private readonly DistributedApplicationExecutionContext _context;

    internal DistributedApplication(WebApplication host, DistributedApplicationExecutionContext context)
    {
        _host = host;
        _context = context;
    }

    public IServiceProvider Services => _host.Services;

    public ResourceNotificationService ResourceNotifications => Services.GetRequiredService<ResourceNotificationService>();

    public static IDistributedApplicationBuilder CreateBuilder(string[] args) => CreateBuilder(new DistributedApplicationOptions { Args = args });

    public static IDistributedApplicationBuilder CreateBuilder(DistributedApplicationOptions options) => new DistributedApplicationBuilder(options);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_context.IsPublishMode)
        {
            Publish();
            return;
        }
        await _host.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _context.IsPublishMode ? Task.CompletedTask : _host.StopAsync(cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (_context.IsPublishMode)
        {
            Publish();
            return;
        }
        await ((IHost)_host).RunAsync(cancellationToken);
    }

    /// <summary>Runs until Ctrl+C or SIGTERM; a problem the user can fix ends the run with its message only.</summary>
    public void Run()
    {
        try
        {
            RunAsync().GetAwaiter().GetResult();
        }
        catch (DistributedApplicationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Environment.ExitCode = 1;
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
        {
            Console.Error.WriteLine($"The dashboard's port is in use ({ex.Message}): stop the other AppHost, or choose ports with ASPNETCORE_URLS and DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL.");
            Environment.ExitCode = 1;
        }
    }

    private void Publish()
    {
        var model = Services.GetRequiredService<DistributedApplicationModel>();
        var output = _context.OutputPath ?? throw new DistributedApplicationException("--publisher needs --output-path <path>.");
        var written = _context.Publisher switch
        {
            "manifest" => ManifestPublisher.WriteFile(model, output),
            "kubernetes" => KubernetesPublisher.WriteDirectory(model, output),
            _ => throw new DistributedApplicationException($"Unknown publisher '{_context.Publisher}': use manifest or kubernetes."),
        };
        Console.WriteLine($"Published {_context.Publisher} to: {written}");
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            // stopping was cut short by the host's shutdown timeout; the orchestrator has already killed what remained
        }
        await _host.DisposeAsync();
    }
}
