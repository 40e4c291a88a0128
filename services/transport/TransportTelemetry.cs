using System.Diagnostics;

namespace Platform.Transport;

/// <summary>The transport's ActivitySource ("Platform.Transport", the service's application name, so ServiceDefaults traces it).</summary>
public static class TransportTelemetry
{
    public const string ActivitySourceName = "Platform.Transport";

    internal static readonly ActivitySource Source = new(ActivitySourceName);
}
