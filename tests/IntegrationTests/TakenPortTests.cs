using System.Net;
using System.Net.Sockets;
using Platform.TestSupport;

namespace Platform.IntegrationTests;

/// <summary>A fixed port another process holds is named in the AppHost's console with its override (AppHost/Extensions/FixedPortsExtensions.cs).</summary>
public sealed class TakenPortTests
{
    [Fact]
    public async Task Taken_fixed_ports_are_named_in_the_console_with_what_moves_them()
    {
        using var dashboard = Hold();
        using var viewer = Hold();
        await using var appHost = CommandLineAppHost.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://localhost:{Port(dashboard)}",
            ["DcpPublisher__RandomizePorts"] = "false", // the ports as a user's run has them
            ["Ports__transport__http"] = $"{Port(viewer)}", // the override the message names, onto a taken port
        });

        // `dotnet run` evaluates the project first: on a loaded machine that alone can take tens of seconds.
        await Eventually.WaitAsync(() => appHost.Log.Contains("Distributed application starting", StringComparison.Ordinal), "the AppHost starting", Platform.HealthyDeadline);
        var log = appHost.Log;
        Assert.True(log.Contains($"Port {Port(dashboard)} (the dashboard) is taken by another process", StringComparison.Ordinal), log);
        Assert.True(log.Contains($"Port {Port(viewer)} (transport's endpoint 'http') is taken by another process", StringComparison.Ordinal), log);
        Assert.Contains("--Ports:transport:http=<free port>", log, StringComparison.Ordinal);
    }

    private static TcpListener Hold()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
