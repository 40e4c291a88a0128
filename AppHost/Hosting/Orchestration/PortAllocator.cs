using System.Net;
using System.Net.Sockets;

namespace Aspire.Hosting.Orchestration;

/// <summary>Free loopback ports for endpoints without a fixed one; fixed ones are checked so a busy port fails with its name.</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> _given = [];

    public int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (_given.Add(port)) return port;
        }
    }

    public int Fixed(int port, string owner)
    {
        if (!_given.Add(port))
            throw new DistributedApplicationException($"Port {port} is given twice ({owner}): fixed ports must be unique, and a resource with replicas cannot have one.");
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (SocketException)
        {
            throw new DistributedApplicationException($"Port {port} ({owner}) is already in use: stop what listens there (e.g. `ss -ltnp | grep :{port}`) or run another AppHost with DcpPublisher__RandomizePorts=true.");
        }
        return port;
    }
}
