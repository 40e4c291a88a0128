using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Testing;

/// <summary>
/// Aspire.Hosting.Testing's entry: runs the AppHost's Program in-process up to <c>builder.Build()</c>, takes the app model
/// it declared, and builds it for a test: free ports everywhere (tests run side by side) and a state folder of its own.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(CancellationToken cancellationToken = default)
        where TEntryPoint : IProjectMetadata, new()
        => CreateAsync<TEntryPoint>([], cancellationToken);

    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(string[] args, CancellationToken cancellationToken = default)
        where TEntryPoint : IProjectMetadata, new()
    {
        cancellationToken.ThrowIfCancellationRequested();
        var metadata = new TEntryPoint();
        var assembly = Assembly.Load(AssemblyName.GetAssemblyName(metadata.TargetPath));
        var entryPoint = assembly.EntryPoint ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no entry point.");
        string[] testArgs = ["--DcpPublisher:RandomizePorts=true", .. args];
        var builder = DistributedApplicationBuilder.Capture(() => entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [testArgs]));
        return Task.FromResult<IDistributedApplicationTestingBuilder>(new TestingBuilder(builder));
    }

    private sealed class TestingBuilder(DistributedApplicationBuilder inner) : IDistributedApplicationTestingBuilder
    {
        public ConfigurationManager Configuration => inner.Configuration;

        public IServiceCollection Services => inner.Services;

        public IHostEnvironment Environment => inner.Environment;

        public string AppHostDirectory => inner.AppHostDirectory;

        public IList<IResource> Resources => inner.Resources;

        public Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(inner.Build());
        }
    }
}

/// <summary>The app model of an AppHost, taken for a test; change it (configuration, resources) before <see cref="BuildAsync"/>.</summary>
public interface IDistributedApplicationTestingBuilder
{
    ConfigurationManager Configuration { get; }

    IServiceCollection Services { get; }

    IHostEnvironment Environment { get; }

    string AppHostDirectory { get; }

    IList<IResource> Resources { get; }

    Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default);
}
