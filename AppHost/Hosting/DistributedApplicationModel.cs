using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>The resources of the app, as Program.cs declared them.</summary>
public sealed class DistributedApplicationModel(IReadOnlyList<IResource> resources)
{
    public IReadOnlyList<IResource> Resources { get; } = resources;

    public IResource Find(string name) => Resources.FirstOrDefault(r => r.Name == name)
        ?? throw new InvalidOperationException($"No resource named '{name}'. Known: {string.Join(", ", Resources.Select(r => r.Name))}.");
}
