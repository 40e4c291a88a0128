using Microsoft.Extensions.Configuration;
using Platform.ServiceDiscovery;

namespace Platform.ServiceDefaults.Tests;

public sealed class ServiceEndpointResolverTests
{
    private static ServiceEndpointResolver Resolver(params (string Key, string Value)[] entries) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(entries.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))).Build());

    [Fact]
    public void Resolves_the_endpoint_named_after_the_scheme()
    {
        var resolver = Resolver(("services:catalog:http:0", "http://127.0.0.1:5123"));
        Assert.Equal(new Uri("http://127.0.0.1:5123/api/items?x=1"), resolver.Resolve(new Uri("http://catalog/api/items?x=1")));
    }

    [Fact]
    public void Resolves_a_named_endpoint_with_the_underscore_form()
    {
        var resolver = Resolver(("services:safety-authority:http:0", "http://127.0.0.1:1"), ("services:safety-authority:grpc:0", "http://127.0.0.1:5132"));
        Assert.Equal(new Uri("http://127.0.0.1:5132/"), resolver.Resolve(new Uri("http://_grpc.safety-authority")));
    }

    [Fact]
    public void Prefers_https_then_falls_back_to_http()
    {
        var httpOnly = Resolver(("services:api:http:0", "http://127.0.0.1:7000"));
        Assert.Equal(new Uri("http://127.0.0.1:7000/x"), httpOnly.Resolve(new Uri("https+http://api/x")));

        var both = Resolver(("services:api:http:0", "http://127.0.0.1:7000"), ("services:api:https:0", "https://127.0.0.1:7001"));
        Assert.Equal(new Uri("https://127.0.0.1:7001/x"), both.Resolve(new Uri("https+http://api/x")));
    }

    [Fact]
    public void Leaves_unknown_hosts_alone()
    {
        var resolver = Resolver(("services:api:http:0", "http://127.0.0.1:7000"));
        Assert.Equal(new Uri("http://example.internal:81/a"), resolver.Resolve(new Uri("http://example.internal:81/a")));
        Assert.False(resolver.IsKnownService("example.internal"));
        Assert.True(resolver.IsKnownService("api"));
    }

    [Fact]
    public void A_malformed_configured_address_fails_with_a_message_naming_the_key()
    {
        var resolver = Resolver(("services:api:http:0", "not a uri"));
        var error = Assert.Throws<InvalidOperationException>(() => resolver.Resolve(new Uri("http://api/")));
        Assert.Contains("services:api:http:0", error.Message);
    }
}
