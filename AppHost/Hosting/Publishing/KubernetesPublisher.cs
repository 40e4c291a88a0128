using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;

namespace Aspire.Hosting.Publishing;

/// <summary>
/// Writes Kubernetes manifests from the app model: per project a ConfigMap (its environment, manifest expressions resolved
/// to in-cluster DNS names), a Deployment (readiness on /health, liveness on /alive) and a Service; NATS as a StatefulSet
/// with a JetStream volume and a Service; plus a kustomization.yaml listing them.
/// </summary>
public static partial class KubernetesPublisher
{
    private const int NatsMonitorPort = 8222;

    public static string WriteDirectory(DistributedApplicationModel model, string outputDirectory)
    {
        var directory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(directory);
        foreach (var (file, text) in Generate(model)) File.WriteAllText(Path.Combine(directory, file), text);
        return directory;
    }

    /// <summary>File name → YAML text.</summary>
    public static IReadOnlyDictionary<string, string> Generate(DistributedApplicationModel model)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in model.Resources)
        {
            files[$"{resource.Name}.yaml"] = resource switch
            {
                NatsServerResource nats => Nats(nats),
                ProjectResource project => Project(model, project),
                _ => throw new DistributedApplicationException($"Resource '{resource.Name}' ({resource.GetType().Name}) has no Kubernetes form."),
            };
        }
        var kustomization = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
        foreach (var file in files.Keys) kustomization.Append(CultureInfo.InvariantCulture, $"  - {file}\n");
        files["kustomization.yaml"] = kustomization.ToString();
        return files;
    }

    private static string Project(DistributedApplicationModel model, ProjectResource project)
    {
        var name = project.Name;
        var endpoints = Endpoints(project);
        var replicas = project.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
        var probePort = endpoints.FirstOrDefault(e => e.Transport == "http").Name ?? endpoints.FirstOrDefault().Name;
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {name}-env
              labels:
                app: {name}
            data:

            """);
        foreach (var (key, value) in EnvironmentBuilder.ForManifest(project))
            yaml.Append(CultureInfo.InvariantCulture, $"  {key}: {Quote(Resolve(model, value))}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"""
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {name}
              labels:
                app: {name}
            spec:
              replicas: {replicas}
              selector:
                matchLabels:
                  app: {name}
              template:
                metadata:
                  labels:
                    app: {name}
                spec:
                  containers:
                    - name: {name}
                      image: {name}:latest
                      envFrom:
                        - configMapRef:
                            name: {name}-env
                      env:
                        - name: OTEL_SERVICE_NAME
                          value: {name}
                      ports:

            """);
        foreach (var (endpointName, _, targetPort, _) in endpoints)
            yaml.Append(CultureInfo.InvariantCulture, $"            - name: {endpointName}\n              containerPort: {targetPort}\n");
        if (probePort is not null)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                          readinessProbe:
                            httpGet:
                              path: /health
                              port: {probePort}
                            periodSeconds: 5
                          livenessProbe:
                            httpGet:
                              path: /alive
                              port: {probePort}
                            periodSeconds: 10

                """);
        }
        yaml.Append(Service(name, endpoints, external: project.Annotations.OfType<EndpointAnnotation>().Any(e => e.IsExternal)));
        return yaml.ToString();
    }

    private static string Nats(NatsServerResource nats)
    {
        var name = nats.Name;
        var endpoints = Endpoints(nats);
        var (_, _, clientPort, _) = endpoints.Single();
        var yaml = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: {name}
              labels:
                app: {name}
            spec:
              serviceName: {name}
              replicas: 1
              selector:
                matchLabels:
                  app: {name}
              template:
                metadata:
                  labels:
                    app: {name}
                spec:
                  containers:
                    - name: {name}
                      image: {NatsServerResource.ContainerImage}
                      args: ["-js", "-sd", "/data", "-m", "{NatsMonitorPort}"]
                      ports:
                        - name: tcp
                          containerPort: {clientPort}
                        - name: monitor
                          containerPort: {NatsMonitorPort}
                      readinessProbe:
                        httpGet:
                          path: /healthz
                          port: monitor
                        periodSeconds: 5
                      livenessProbe:
                        httpGet:
                          path: /healthz?js-enabled-only=true
                          port: monitor
                        periodSeconds: 10
                      volumeMounts:
                        - name: data
                          mountPath: /data
              volumeClaimTemplates:
                - metadata:
                    name: data
                  spec:
                    accessModes: ["ReadWriteOnce"]
                    resources:
                      requests:
                        storage: 1Gi

            """));
        yaml.Append(Service(name, endpoints, external: false));
        return yaml.ToString();
    }

    private static string Service(string name, IReadOnlyList<(string Name, int Port, int TargetPort, string Transport)> endpoints, bool external)
    {
        var yaml = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: {name}
              labels:
                app: {name}
            spec:
              type: {(external ? "LoadBalancer" : "ClusterIP")}
              selector:
                app: {name}
              ports:

            """));
        foreach (var (endpointName, port, targetPort, transport) in endpoints)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"    - name: {endpointName}\n      port: {port}\n      targetPort: {targetPort}\n");
            if (transport == "http2") yaml.Append("      appProtocol: kubernetes.io/h2c\n");
        }
        return yaml.ToString();
    }

    private static List<(string Name, int Port, int TargetPort, string Transport)> Endpoints(IResource resource) => resource.Annotations
        .OfType<EndpointAnnotation>()
        .Where(e => !e.ExcludeFromManifest)
        .Select(e =>
        {
            var target = int.Parse(EnvironmentBuilder.TargetPort(resource, e), CultureInfo.InvariantCulture);
            return (e.Name, e.Port ?? target, target, e.Transport);
        })
        .ToList();

    /// <summary>Turns manifest expressions into in-cluster values: a resource's Service name is its host.</summary>
    private static string Resolve(DistributedApplicationModel model, string value) => Expression().Replace(value, match =>
    {
        var resource = model.Find(match.Groups["resource"].Value);
        if (match.Groups["endpoint"].Success is false)
        {
            return resource is IResourceWithConnectionString withConnectionString
                ? Resolve(model, withConnectionString.ConnectionStringExpression.ValueExpression)
                : throw new DistributedApplicationException($"Resource '{resource.Name}' has no connection string.");
        }
        var endpoint = Endpoints(resource).Single(e => e.Name == match.Groups["endpoint"].Value);
        var scheme = resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpoint.Name).UriScheme;
        return match.Groups["property"].Value switch
        {
            "url" => $"{scheme}://{resource.Name}:{endpoint.Port}",
            "host" => resource.Name,
            "port" => endpoint.Port.ToString(CultureInfo.InvariantCulture),
            _ => endpoint.TargetPort.ToString(CultureInfo.InvariantCulture),
        };
    });

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"\{(?<resource>[a-z][a-z0-9-]*)\.(?:connectionString|bindings\.(?<endpoint>[a-z0-9-]+)\.(?<property>url|host|port|targetPort))\}")]
    private static partial Regex Expression();
}
