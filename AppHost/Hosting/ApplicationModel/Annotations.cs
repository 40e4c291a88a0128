namespace Aspire.Hosting.ApplicationModel;

/// <summary>An environment variable set by <c>WithEnvironment</c>: a string, a <see cref="ReferenceExpression"/> or an <see cref="IExpressionValue"/>.</summary>
public sealed record EnvironmentAnnotation(string Name, object Value) : IResourceAnnotation;

/// <summary><c>WithReference(target)</c>: the resource gets the target's connection string or service-discovery entries.</summary>
public sealed record ResourceReferenceAnnotation(IResource Target) : IResourceAnnotation;

/// <summary><c>WaitFor(target)</c>: the resource starts only once the target is healthy.</summary>
public sealed record WaitAnnotation(IResource Target) : IResourceAnnotation;

/// <summary><c>WithReplicas(n)</c>.</summary>
public sealed record ReplicaAnnotation(int Replicas) : IResourceAnnotation;

/// <summary>
/// An HTTP probe on one of the resource's endpoints (the first HTTP one when <see cref="EndpointName"/> is null);
/// the resource is healthy when every probe answers 2xx.
/// </summary>
public sealed record HealthProbeAnnotation(string? EndpointName, string Path) : IResourceAnnotation;

/// <summary>Command-line arguments of an executable, resolved when it starts (they may hold allocated ports or paths).</summary>
public sealed record CommandLineArgsAnnotation(Func<CommandLineContext, IReadOnlyList<string>> Build) : IResourceAnnotation;

/// <summary>What an executable's arguments may depend on: its replica and its own folder under the AppHost's state folder.</summary>
public sealed record CommandLineContext(int Replica, string StateDirectory);
