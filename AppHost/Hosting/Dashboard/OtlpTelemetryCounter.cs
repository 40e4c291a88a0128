using System.Collections.Concurrent;
using Google.Protobuf;

namespace Aspire.Hosting.Dashboard;

/// <summary>
/// Takes OTLP/HTTP protobuf exports (/v1/traces, /v1/logs, /v1/metrics) and counts them per <c>service.name</c>; the traces
/// and structured-logs views come later, so services exporting here get their 200 now.
/// </summary>
public sealed class OtlpTelemetryCounter
{
    private readonly ConcurrentDictionary<(string Service, string Signal), long> _exports = new();

    public IReadOnlyDictionary<string, long> CountsFor(string service) => _exports
        .Where(e => e.Key.Service == service)
        .ToDictionary(e => e.Key.Signal, e => e.Value);

    /// <summary>Counts one export request; false when the body is not an OTLP export message.</summary>
    public bool Record(string signal, byte[] body)
    {
        List<string> services;
        try
        {
            services = ServiceNames(body);
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
        foreach (var service in services.Distinct()) _exports.AddOrUpdate((service, signal), 1, (_, n) => n + 1);
        return true;
    }

    // Export{Trace,Logs,Metrics}ServiceRequest: field 1 = Resource{Spans,Logs,Metrics}; each holds field 1 = Resource,
    // whose field 1 = KeyValue attributes (key = 1, value = 2 = AnyValue with string_value = 1).
    private static List<string> ServiceNames(byte[] body)
    {
        var names = new List<string>();
        foreach (var resourceData in Fields(ByteString.CopyFrom(body), 1))
        {
            foreach (var resource in Fields(resourceData, 1))
            {
                foreach (var attribute in Fields(resource, 1))
                {
                    string? key = null;
                    string? value = null;
                    var input = attribute.CreateCodedInput();
                    uint tag;
                    while ((tag = input.ReadTag()) != 0)
                    {
                        if (tag == 10) key = input.ReadString();
                        else if (tag == 18) value = Fields(input.ReadBytes(), 1).Select(v => v.ToStringUtf8()).FirstOrDefault();
                        else input.SkipLastField();
                    }
                    if (key == "service.name" && value is not null) names.Add(value);
                }
            }
        }
        return names;
    }

    private static List<ByteString> Fields(ByteString message, int field)
    {
        var found = new List<ByteString>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == (uint)((field << 3) | 2)) found.Add(input.ReadBytes());
            else input.SkipLastField();
        }
        return found;
    }
}
