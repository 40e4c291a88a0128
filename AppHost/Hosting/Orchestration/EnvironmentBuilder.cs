using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// The environment Aspire gives a resource (ARCHITECTURE.md section 3): connection strings and service-discovery entries of
/// its references, OTLP settings, Kestrel endpoints. Run mode gives values; the manifest gets <c>{resource.bindings...}</c>
/// expressions for the same keys.
/// </summary>
internal static class EnvironmentBuilder
{
    public static IReadOnlyDictionary<string, string> ForRun(IResource resource, int replica, string instanceId, string? otlpEndpoint)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        if (resource is ProjectResource)
        {
            // What an Aspire launch profile and AddOtlpEnvironment give a project in run mode.
            env["ASPNETCORE_ENVIRONMENT"] = "Development";
            env["DOTNET_ENVIRONMENT"] = "Development";
            AddDotNetDefaults(env);
            env["ASPNETCORE_URLS"] = string.Join(';', endpoints.Where(e => e.UriScheme == "http").Select(e => e.GetUrl(replica)));
            foreach (var endpoint in endpoints)
                AddKestrelEndpoint(env, endpoint, endpoint.GetUrl(replica));
            if (otlpEndpoint is not null)
            {
                env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint;
                env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
                env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
                env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
                env["OTEL_TRACES_SAMPLER"] = "always_on";
            }
            env["OTEL_SERVICE_NAME"] = resource.Name;
            env["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instanceId}";
        }
        foreach (var endpoint in endpoints.Where(e => e.EnvironmentVariable is not null))
            env[endpoint.EnvironmentVariable!] = endpoint.GetPort(replica).ToString(CultureInfo.InvariantCulture);
        AddReferences(env, resource, manifest: false);
        foreach (var variable in resource.Annotations.OfType<EnvironmentAnnotation>())
            env[variable.Name] = variable.Value is IExpressionValue value ? value.GetValue() : (string)variable.Value;
        return env;
    }

    public static IReadOnlyDictionary<string, string> ForManifest(IResource resource)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().Where(e => !e.ExcludeFromManifest).ToList();
        if (resource is ProjectResource)
        {
            AddDotNetDefaults(env);
            var httpPorts = endpoints.Where(e => e.UriScheme == "http" && e.Transport == "http").Select(e => TargetPort(resource, e)).ToList();
            if (httpPorts.Count > 0) env["HTTP_PORTS"] = string.Join(';', httpPorts);
            foreach (var endpoint in endpoints)
                AddKestrelEndpoint(env, endpoint, $"{endpoint.UriScheme}://*:{TargetPort(resource, endpoint)}");
        }
        foreach (var endpoint in endpoints.Where(e => e.EnvironmentVariable is not null))
            env[endpoint.EnvironmentVariable!] = TargetPort(resource, endpoint);
        AddReferences(env, resource, manifest: true);
        foreach (var variable in resource.Annotations.OfType<EnvironmentAnnotation>())
            env[variable.Name] = variable.Value is IExpressionValue value ? value.ValueExpression : (string)variable.Value;
        return env;
    }

    private static void AddDotNetDefaults(Dictionary<string, string> env)
    {
        env["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true";
        env["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true";
        env["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
        env["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
    }

    private static void AddKestrelEndpoint(Dictionary<string, string> env, EndpointAnnotation endpoint, string url)
    {
        env[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = url;
        if (endpoint.Transport == "http2") env[$"Kestrel__Endpoints__{endpoint.Name}__Protocols"] = "Http2";
    }

    private static void AddReferences(Dictionary<string, string> env, IResource resource, bool manifest)
    {
        foreach (var target in resource.Annotations.OfType<ResourceReferenceAnnotation>().Select(r => r.Target))
        {
            if (target is IResourceWithConnectionString withConnectionString)
            {
                env[$"ConnectionStrings__{target.Name}"] = manifest
                    ? $"{{{target.Name}.connectionString}}"
                    : withConnectionString.ConnectionStringExpression.GetValue();
            }
            if (target is IResourceWithServiceDiscovery)
            {
                foreach (var endpoint in target.Annotations.OfType<EndpointAnnotation>().Where(e => !e.ExcludeFromManifest))
                {
                    if (manifest)
                    {
                        env[$"services__{target.Name}__{endpoint.Name}__0"] = $"{{{target.Name}.bindings.{endpoint.Name}.url}}";
                        continue;
                    }
                    // Without a proxy in front of replicas, each one is an entry of the service-discovery list.
                    for (var i = 0; i < endpoint.AllocatedPorts.Count; i++)
                        env[$"services__{target.Name}__{endpoint.Name}__{i}"] = endpoint.GetUrl(i);
                }
            }
        }
    }

    /// <summary>The port a deployed container listens on: set, else 8080 for the first HTTP endpoint and 8081, 8082... after.</summary>
    internal static string TargetPort(IResource resource, EndpointAnnotation endpoint)
    {
        if (endpoint.TargetPort is { } port) return port.ToString(CultureInfo.InvariantCulture);
        var index = resource.Annotations.OfType<EndpointAnnotation>().Where(e => !e.ExcludeFromManifest && e.TargetPort is null).ToList().IndexOf(endpoint);
        return (8080 + index).ToString(CultureInfo.InvariantCulture);
    }
}
