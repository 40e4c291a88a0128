using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// The platform runs on fixed ports (the dashboard's 18888/18889/18887 from the launch profile, the viewer's 8080 and
/// each service's Kestrel ports). A port another process holds fails only inside DCP or the dashboard's own log, so
/// the user sees a healthy-looking start and a page that never loads. Before anything starts, this says in the
/// AppHost's console which port is taken, by what, and how to move it: <c>Ports:&lt;resource&gt;:&lt;endpoint&gt;</c>
/// (e.g. <c>dotnet run --project AppHost -- --Ports:transport:http=8081</c>) or, for the dashboard, the ASPNETCORE_URLS
/// and ASPIRE_* variables. The rest starts anyway.
/// </summary>
public static partial class FixedPortsExtensions
{
    private static readonly (string Variable, string What)[] DashboardUrls =
    [
        ("ASPNETCORE_URLS", "the dashboard"),
        ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "the dashboard's OTLP receiver"),
        ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "the dashboard's resource service"),
    ];

    public static IDistributedApplicationBuilder WithFixedPortsChecked(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.ExecutionContext.IsRunMode) return builder;
        var configuration = builder.Configuration;
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Platform.AppHost.Ports");
            foreach (var resource in e.Model.Resources)
            {
                foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
                {
                    if (configuration.GetValue<int?>($"Ports:{resource.Name}:{endpoint.Name}") is { } port)
                    {
                        endpoint.Port = port;
                        if (!endpoint.IsProxied) endpoint.TargetPort = port;
                    }
                }
            }
            // Aspire.Hosting.Testing picks free ports itself (DcpPublisher:RandomizePorts): nothing fixed to check.
            if (configuration.GetValue<bool>("DcpPublisher:RandomizePorts")) return Task.CompletedTask;

            foreach (var (variable, what) in DashboardUrls)
            {
                foreach (var url in (configuration[variable] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && !IsFree(uri.Port))
                        LogDashboardPortTaken(logger, uri.Port, what, variable);
                }
            }
            foreach (var resource in e.Model.Resources)
            {
                foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
                {
                    if (endpoint.Port is { } port && !IsFree(port))
                        LogResourcePortTaken(logger, port, resource.Name, endpoint.Name);
                }
            }
            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>Whether nothing listens on the port on the loopback addresses the platform binds.</summary>
    internal static bool IsFree(int port)
    {
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6) continue;
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // TIME_WAIT is not taken
            try
            {
                socket.Bind(new IPEndPoint(address, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                return false;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                // No such loopback address on this host (IPv6 disabled): nothing can hold it.
            }
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Port {Port} ({What}) is taken by another process, so the dashboard cannot serve it. Stop that process (`ss -ltnp 'sport = :{Port}'` names it), or run on other ports: {Variable} in AppHost/Properties/launchSettings.json")]
    private static partial void LogDashboardPortTaken(ILogger logger, int port, string what, string variable);

    [LoggerMessage(Level = LogLevel.Error, Message = "Port {Port} ({Resource}'s endpoint '{Endpoint}') is taken by another process, so {Resource} cannot be reached there; the rest starts anyway. Stop that process (`ss -ltnp 'sport = :{Port}'` names it), or move the endpoint: dotnet run --project AppHost -- --Ports:{Resource}:{Endpoint}=<free port>")]
    private static partial void LogResourcePortTaken(ILogger logger, int port, string resource, string endpoint);
}
