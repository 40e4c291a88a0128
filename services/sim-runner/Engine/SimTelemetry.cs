using System.Diagnostics;

namespace Platform.SimRunner.Engine;

/// <summary>The sim's ActivitySource ("Platform.SimRunner", the service's application name, so ServiceDefaults traces it).</summary>
public static class SimTelemetry
{
    public const string ActivitySourceName = "Platform.SimRunner";

    internal static readonly ActivitySource Source = new(ActivitySourceName);
}
