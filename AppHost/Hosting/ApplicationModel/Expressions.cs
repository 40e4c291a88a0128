using System.Text;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>A value known at run time that the manifest writes as an expression (e.g. <c>{nats.bindings.tcp.port}</c>).</summary>
public interface IExpressionValue
{
    string ValueExpression { get; }

    string GetValue();
}

public enum EndpointProperty
{
    Url,
    Host,
    Port,
    TargetPort,
}

/// <summary>A reference to a resource's endpoint (replica 0).</summary>
public sealed class EndpointReference(IResourceWithEndpoints resource, string endpointName) : IExpressionValue
{
    public IResourceWithEndpoints Resource { get; } = resource;

    public string EndpointName { get; } = endpointName;

    public EndpointAnnotation Endpoint => Resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == EndpointName)
        ?? throw new InvalidOperationException($"Resource '{Resource.Name}' has no endpoint named '{EndpointName}'.");

    public string Url => GetValue();

    public string ValueExpression => Property(EndpointProperty.Url).ValueExpression;

    public string GetValue() => Endpoint.GetUrl();

    public IExpressionValue Property(EndpointProperty property) => new EndpointPropertyValue(this, property);

    private sealed class EndpointPropertyValue(EndpointReference endpoint, EndpointProperty property) : IExpressionValue
    {
        public string ValueExpression => $"{{{endpoint.Resource.Name}.bindings.{endpoint.EndpointName}.{PropertyName}}}";

        private string PropertyName => property == EndpointProperty.TargetPort ? "targetPort" : property.ToString().ToLowerInvariant();

        public string GetValue() => property switch
        {
            EndpointProperty.Url => endpoint.Endpoint.GetUrl(),
            EndpointProperty.Host => endpoint.Endpoint.TargetHost,
            _ => endpoint.Endpoint.GetPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>A string built from literals and <see cref="IExpressionValue"/>s (connection strings, URLs).</summary>
public sealed class ReferenceExpression : IExpressionValue
{
    private readonly object[] _parts;

    public ReferenceExpression(params object[] parts)
    {
        foreach (var part in parts)
        {
            if (part is not (string or IExpressionValue))
                throw new ArgumentException($"A reference expression takes strings and expression values, not {part?.GetType().Name ?? "null"}.", nameof(parts));
        }
        _parts = parts;
    }

    public string ValueExpression => Join(p => p.ValueExpression);

    public string GetValue() => Join(p => p.GetValue());

    private string Join(Func<IExpressionValue, string> render)
    {
        var text = new StringBuilder();
        foreach (var part in _parts) text.Append(part is IExpressionValue value ? render(value) : (string)part);
        return text.ToString();
    }
}
