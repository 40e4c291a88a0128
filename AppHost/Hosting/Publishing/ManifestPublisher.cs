using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;

namespace Aspire.Hosting.Publishing;

/// <summary>
/// Writes the Aspire deployment manifest (schema aspire-8.0): <c>project.v0</c> for projects (path relative to the manifest),
/// <c>container.v0</c> for NATS, <c>executable.v0</c> for executables; env values as <c>{resource.bindings...}</c> expressions.
/// </summary>
public static class ManifestPublisher
{
    public const string Schema = "https://json.schemastore.org/aspire-8.0.json";

    public static string WriteFile(DistributedApplicationModel model, string outputPath)
    {
        var path = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Generate(model, Path.GetDirectoryName(path)!));
        return path;
    }

    /// <summary>The manifest text for a manifest that lives in <paramref name="manifestDirectory"/>.</summary>
    public static string Generate(DistributedApplicationModel model, string manifestDirectory)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", Schema);
            json.WriteStartObject("resources");
            foreach (var resource in model.Resources)
            {
                json.WriteStartObject(resource.Name);
                WriteResource(json, resource, manifestDirectory);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteResource(Utf8JsonWriter json, IResource resource, string manifestDirectory)
    {
        switch (resource)
        {
            case NatsServerResource nats:
                json.WriteString("type", "container.v0");
                json.WriteString("connectionString", nats.ConnectionStringExpression.ValueExpression);
                json.WriteString("image", NatsServerResource.ContainerImage);
                WriteArray(json, "args", ["-js"]);
                break;
            case ProjectResource project:
                json.WriteString("type", "project.v0");
                json.WriteString("path", RelativePath(manifestDirectory, project.Metadata.ProjectPath));
                break;
            case ExecutableResource executable:
                json.WriteString("type", "executable.v0");
                json.WriteString("workingDirectory", RelativePath(manifestDirectory, executable.WorkingDirectory));
                json.WriteString("command", executable.Command);
                WriteArray(json, "args", executable.Annotations.OfType<CommandLineArgsAnnotation>()
                    .SelectMany(a => a.Build(new CommandLineContext(0, "."))).ToList());
                break;
            default:
                throw new DistributedApplicationException($"Resource '{resource.Name}' ({resource.GetType().Name}) has no manifest form.");
        }
        var env = EnvironmentBuilder.ForManifest(resource);
        if (env.Count > 0)
        {
            json.WriteStartObject("env");
            foreach (var (key, value) in env) json.WriteString(key, value);
            json.WriteEndObject();
        }
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().Where(e => !e.ExcludeFromManifest).ToList();
        if (endpoints.Count > 0)
        {
            json.WriteStartObject("bindings");
            foreach (var endpoint in endpoints)
            {
                json.WriteStartObject(endpoint.Name);
                json.WriteString("scheme", endpoint.UriScheme);
                json.WriteString("protocol", endpoint.Protocol);
                json.WriteString("transport", endpoint.Transport);
                if (endpoint.Port is { } port) json.WriteNumber("port", port);
                json.WriteNumber("targetPort", int.Parse(EnvironmentBuilder.TargetPort(resource, endpoint), System.Globalization.CultureInfo.InvariantCulture));
                if (endpoint.IsExternal) json.WriteBoolean("external", true);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
    }

    private static void WriteArray(Utf8JsonWriter json, string name, List<string> values)
    {
        if (values.Count == 0) return;
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static string RelativePath(string from, string to) => Path.GetRelativePath(from, to).Replace('\\', '/');
}
