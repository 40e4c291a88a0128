namespace Aspire.Hosting;

/// <summary>
/// Metadata of a referenced project, generated at build as <c>Projects.&lt;Name&gt;</c> from the AppHost's project
/// references (AppHost/ProjectMetadata.targets).
/// </summary>
public interface IProjectMetadata
{
    /// <summary>Full path of the .csproj.</summary>
    string ProjectPath { get; }

    /// <summary>Full path of the built assembly (what the orchestrator runs, so it never builds at start).</summary>
    string TargetPath { get; }
}
