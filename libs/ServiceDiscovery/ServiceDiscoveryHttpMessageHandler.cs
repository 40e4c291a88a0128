namespace Platform.ServiceDiscovery;

/// <summary>Rewrites each request's logical address (http://catalog/...) to the configured endpoint.</summary>
internal sealed class ServiceDiscoveryHttpMessageHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
            request.RequestUri = resolver.Resolve(uri);
        return base.SendAsync(request, cancellationToken);
    }
}
