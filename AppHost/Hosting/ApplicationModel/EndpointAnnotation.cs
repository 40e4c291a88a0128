namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A network endpoint of a resource. <see cref="Port"/> is fixed when set (else a free port is taken at start);
/// <see cref="TargetPort"/> is what a deployed container listens on. <see cref="AllocatedPorts"/> holds, per replica,
/// the port the orchestrator assigned for this run.
/// </summary>
public sealed class EndpointAnnotation(string name) : IResourceAnnotation
{
    public string Name { get; } = name;

    /// <summary>http or tcp.</summary>
    public string UriScheme { get; set; } = "http";

    /// <summary>http, http2 (h2c for gRPC) or tcp.</summary>
    public string Transport { get; set; } = "http";

    public string Protocol { get; set; } = "tcp";

    public int? Port { get; set; }

    public int? TargetPort { get; set; }

    public bool IsExternal { get; set; }

    /// <summary>A variable that receives the allocated port (Aspire's <c>env:</c> argument, e.g. PORT).</summary>
    public string? EnvironmentVariable { get; set; }

    /// <summary>The host name clients use to reach the endpoint during a local run.</summary>
    public string TargetHost { get; set; } = "localhost";

    /// <summary>Local-run only endpoints (e.g. the NATS monitoring port) are not written to the manifest.</summary>
    public bool ExcludeFromManifest { get; set; }

    public IReadOnlyList<int> AllocatedPorts { get; internal set; } = [];

    public string GetUrl(int replica = 0) => $"{UriScheme}://{TargetHost}:{GetPort(replica)}";

    public int GetPort(int replica = 0) => AllocatedPorts.Count > replica
        ? AllocatedPorts[replica]
        : throw new InvalidOperationException($"Endpoint '{Name}' has no port allocated yet: the app has not been started.");
}
