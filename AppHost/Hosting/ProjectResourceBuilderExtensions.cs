using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class ProjectResourceBuilderExtensions
{
    /// <summary>
    /// Adds a project of the solution (<c>Projects.X</c> is generated from the AppHost's project references). Its health
    /// is <c>/health</c> and <c>/alive</c> on its first HTTP endpoint (ServiceDefaults' <c>MapDefaultEndpoints</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
        => builder.AddResource(new ProjectResource(name, new TProject()))
            .WithAnnotation(new HealthProbeAnnotation(null, "/health"))
            .WithAnnotation(new HealthProbeAnnotation(null, "/alive"));

    /// <summary>Adds a program on the machine, started with <paramref name="args"/> from <paramref name="workingDirectory"/>.</summary>
    public static IResourceBuilder<ExecutableResource> AddExecutable(this IDistributedApplicationBuilder builder, string name, string command, string workingDirectory, params string[] args)
        => builder.AddResource(new ExecutableResource(name, command, Path.GetFullPath(workingDirectory, builder.AppHostDirectory)))
            .WithAnnotation(new CommandLineArgsAnnotation(_ => args));
}
