using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>The <c>With*</c>/<c>WaitFor</c> calls of Aspire's app model.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Gives the resource <c>ConnectionStrings__&lt;source&gt;</c>.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source)
        where T : IResourceWithEnvironment
        => builder.WithAnnotation(new ResourceReferenceAnnotation(source.Resource));

    /// <summary>Gives the resource <c>services__&lt;source&gt;__&lt;endpoint&gt;__&lt;i&gt;</c> for each endpoint of the source.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
        where T : IResourceWithEnvironment
        => builder.WithAnnotation(new ResourceReferenceAnnotation(source.Resource));

    /// <summary>Starts the resource only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : IResourceWithWaitSupport
    {
        if (ReferenceEquals(builder.Resource, dependency.Resource))
            throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' cannot wait for itself.");
        return builder.WithAnnotation(new WaitAnnotation(dependency.Resource));
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value) where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentAnnotation(name, value));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, ReferenceExpression value) where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentAnnotation(name, value));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, EndpointReference endpoint) where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentAnnotation(name, endpoint));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<IResourceWithConnectionString> source) where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentAnnotation(name, source.Resource.ConnectionStringExpression));

    /// <summary>
    /// An HTTP/1.1 endpoint (named <c>http</c> unless <paramref name="name"/> says otherwise). <paramref name="port"/> fixes the
    /// local port; without it a free one is taken at start. <paramref name="env"/> names a variable that receives the port.
    /// </summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? name = null, string? env = null)
        where T : IResourceWithEndpoints
        => builder.WithEndpoint(name ?? "http", e =>
        {
            e.UriScheme = "http";
            e.Port = port;
            e.TargetPort = targetPort;
            e.EnvironmentVariable = env;
        }, createIfNotExists: true, mustBeNew: true);

    /// <summary>Adds or changes an endpoint, e.g. <c>WithEndpoint("grpc", e =&gt; e.Transport = "http2")</c>.</summary>
    public static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, string endpointName, Action<EndpointAnnotation> callback, bool createIfNotExists = true)
        where T : IResourceWithEndpoints
        => builder.WithEndpoint(endpointName, callback, createIfNotExists, mustBeNew: false);

    /// <summary>Marks every HTTP endpoint as reachable from outside once deployed.</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder) where T : IResourceWithEndpoints
    {
        foreach (var endpoint in builder.Resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme == "http"))
            endpoint.IsExternal = true;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        foreach (var old in builder.Resource.Annotations.OfType<ReplicaAnnotation>().ToList()) builder.Resource.Annotations.Remove(old);
        return builder.WithAnnotation(new ReplicaAnnotation(replicas));
    }

    /// <summary>Polls <paramref name="path"/> on an HTTP endpoint (the first one when <paramref name="endpointName"/> is null); healthy on 2xx.</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string path = "/health", string? endpointName = null)
        where T : IResourceWithEndpoints
        => builder.WithAnnotation(new HealthProbeAnnotation(endpointName, path));

    public static EndpointReference GetEndpoint<T>(this IResourceBuilder<T> builder, string name) where T : IResourceWithEndpoints
        => new(builder.Resource, name);

    private static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, string endpointName, Action<EndpointAnnotation> callback, bool createIfNotExists, bool mustBeNew)
        where T : IResourceWithEndpoints
    {
        var endpoint = builder.Resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == endpointName);
        if (endpoint is not null && mustBeNew)
            throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' already has an endpoint named '{endpointName}'.");
        if (endpoint is null)
        {
            if (!createIfNotExists) return builder;
            endpoint = new EndpointAnnotation(endpointName);
            builder.WithAnnotation(endpoint);
        }
        callback(endpoint);
        return builder;
    }
}
