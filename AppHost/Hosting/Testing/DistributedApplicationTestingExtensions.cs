using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Testing;

/// <summary>Aspire.Hosting.Testing's helpers on a running app: clients and addresses of its resources.</summary>
public static class DistributedApplicationTestingExtensions
{
    /// <summary>An HttpClient whose base address is the resource's endpoint (its first HTTP one when none is named).</summary>
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resourceName, string? endpointName = null)
        => new() { BaseAddress = app.GetEndpoint(resourceName, endpointName) };

    public static Uri GetEndpoint(this DistributedApplication app, string resourceName, string? endpointName = null)
    {
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Find(resourceName);
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        var endpoint = (endpointName is null
            ? endpoints.FirstOrDefault(e => e.UriScheme == "http" && e.Transport == "http") ?? endpoints.FirstOrDefault()
            : endpoints.FirstOrDefault(e => e.Name == endpointName))
            ?? throw new InvalidOperationException($"Resource '{resourceName}' has no endpoint{(endpointName is null ? "" : $" named '{endpointName}'")}.");
        return new Uri(endpoint.GetUrl());
    }

    public static string? GetConnectionString(this DistributedApplication app, string resourceName)
        => app.Services.GetRequiredService<DistributedApplicationModel>().Find(resourceName) is IResourceWithConnectionString resource
            ? resource.ConnectionStringExpression.GetValue()
            : null;

    public static ValueTask<string?> GetConnectionStringAsync(this DistributedApplication app, string resourceName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(app.GetConnectionString(resourceName));
    }
}
