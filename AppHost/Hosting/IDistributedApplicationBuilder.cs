using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>Builds the app model (Aspire's shape): resources, then <see cref="Build"/>.</summary>
public interface IDistributedApplicationBuilder
{
    ConfigurationManager Configuration { get; }

    IServiceCollection Services { get; }

    IHostEnvironment Environment { get; }

    /// <summary>The AppHost project folder (state, relative paths).</summary>
    string AppHostDirectory { get; }

    DistributedApplicationExecutionContext ExecutionContext { get; }

    IList<IResource> Resources { get; }

    IResourceBuilder<T> AddResource<T>(T resource) where T : IResource;

    IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource;

    DistributedApplication Build();
}

/// <summary>Whether this run starts the app or writes a deployment artifact (<c>--publisher manifest|kubernetes</c>).</summary>
public sealed class DistributedApplicationExecutionContext(string? publisher, string? outputPath)
{
    public string? Publisher { get; } = publisher;

    public string? OutputPath { get; } = outputPath;

    public bool IsPublishMode => Publisher is not null;

    public bool IsRunMode => !IsPublishMode;
}

public sealed class DistributedApplicationOptions
{
    public string[] Args { get; init; } = [];

    /// <summary>Runs without the dashboard (and its OTLP receiver).</summary>
    public bool DisableDashboard { get; init; }
}

/// <summary>A failure the user can fix (a missing program, a busy port); <see cref="DistributedApplication.Run"/> prints only its message.</summary>
public sealed class DistributedApplicationException(string message) : Exception(message);
