using System.Net;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Orchestration;

/// <summary>Runs a resource's HTTP health probes (<c>/health</c>, <c>/alive</c>, NATS <c>/healthz</c>); h2c for HTTP/2-only endpoints.</summary>
internal sealed class HealthProber(OrchestratorOptions options) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        ConnectTimeout = options.ProbeTimeout,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The probes of a resource as URLs for one replica; empty when it has none (running means healthy then).</summary>
    public static IReadOnlyList<(Uri Url, bool Http2)> ProbesOf(IResource resource, int replica)
    {
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        var probes = new List<(Uri, bool)>();
        foreach (var probe in resource.Annotations.OfType<HealthProbeAnnotation>())
        {
            var endpoint = probe.EndpointName is null
                ? endpoints.FirstOrDefault(e => e.UriScheme == "http" && e.Transport == "http") ?? endpoints.FirstOrDefault(e => e.UriScheme == "http")
                : endpoints.FirstOrDefault(e => e.Name == probe.EndpointName);
            if (endpoint is null)
            {
                if (probe.EndpointName is null) continue; // a project without HTTP endpoints has nothing to probe
                throw new DistributedApplicationException($"Resource '{resource.Name}' probes '{probe.Path}' on endpoint '{probe.EndpointName}', which it does not have.");
            }
            probes.Add((new Uri(endpoint.GetUrl(replica) + probe.Path), endpoint.Transport == "http2"));
        }
        return probes;
    }

    /// <summary>Null when every probe answered 2xx, else what failed first.</summary>
    public async Task<string?> CheckAsync(IReadOnlyList<(Uri Url, bool Http2)> probes, CancellationToken cancellationToken)
    {
        foreach (var (url, http2) in probes)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ProbeTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (http2)
            {
                request.Version = HttpVersion.Version20;
                request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            }
            try
            {
                using var response = await _client.SendAsync(request, timeout.Token);
                if (!response.IsSuccessStatusCode) return $"{url.AbsolutePath} answered {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return $"{url.AbsolutePath}: {ex.Message}";
            }
        }
        return null;
    }

    public void Dispose() => _client.Dispose();
}
