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
        if (randomizePorts) return new DashboardOptions { Url = $"http://localhost:{FreePort()}", OtlpUrl = $"http://localhost:{FreePort()}" };
        var urls = configuration["ASPNETCORE_URLS"];
        var otlp = configuration["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"];
        return new DashboardOptions
        {
            Url = string.IsNullOrWhiteSpace(urls) ? "http://localhost:18888" : urls.Split(';')[0],
            OtlpUrl = string.IsNullOrWhiteSpace(otlp) ? "http://localhost:18889" : otlp,
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
