using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Dashboard;

/// <summary>
/// Where the dashboard listens (Aspire's AppHost keys: <c>ASPNETCORE_URLS</c>, default http://localhost:18888) and where it
/// takes OTLP over http/protobuf (<c>DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL</c>, default http://localhost:18889).
/// </summary>
public sealed class DashboardOptions
{
    public bool Enabled { get; init; } = true;

    public string Url { get; init; } = "http://localhost:18888";

    public string OtlpUrl { get; init; } = "http://localhost:18889";

    public static DashboardOptions From(IConfiguration configuration, bool randomizePorts, bool disabled)
    {
        if (disabled) return new DashboardOptions { Enabled = false };
        // Explicit URLs win; otherwise the defaults, or free ports when the run must not collide with another AppHost.
        var urls = configuration["ASPNETCORE_URLS"];
        var otlp = configuration["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"];
        return new DashboardOptions
        {
            Url = !string.IsNullOrWhiteSpace(urls) ? urls.Split(';')[0] : randomizePorts ? $"http://localhost:{FreePort()}" : "http://localhost:18888",
            OtlpUrl = !string.IsNullOrWhiteSpace(otlp) ? otlp : randomizePorts ? $"http://localhost:{FreePort()}" : "http://localhost:18889",
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
