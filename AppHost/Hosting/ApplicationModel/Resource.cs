using System.Collections.ObjectModel;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>A named thing the AppHost runs (a project, an executable, a NATS server).</summary>
public interface IResource
{
    string Name { get; }

    ResourceAnnotationCollection Annotations { get; }
}

/// <summary>Marker for the facts attached to a resource by the builder methods.</summary>
public interface IResourceAnnotation;

public sealed class ResourceAnnotationCollection : Collection<IResourceAnnotation>;

/// <summary>A resource that exposes network endpoints.</summary>
public interface IResourceWithEndpoints : IResource;

/// <summary>A resource that takes environment variables.</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource that can wait for others (<c>WaitFor</c>).</summary>
public interface IResourceWithWaitSupport : IResource;

/// <summary>A resource others discover through <c>services__name__endpoint__i</c>.</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;

/// <summary>A resource others reach through <c>ConnectionStrings__name</c>.</summary>
public interface IResourceWithConnectionString : IResource
{
    ReferenceExpression ConnectionStringExpression { get; }
}

public abstract class Resource(string name) : IResource
{
    public string Name { get; } = ResourceNames.Validate(name);

    public ResourceAnnotationCollection Annotations { get; } = [];

    public override string ToString() => Name;
}
