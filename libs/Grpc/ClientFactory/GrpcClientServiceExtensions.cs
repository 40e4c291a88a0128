using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddGrpcClient&lt;TClient&gt;(o => o.Address = ...)</c>, as in Grpc.Net.ClientFactory.</summary>
public static class GrpcClientServiceExtensions
{
    public static IHttpClientBuilder AddGrpcClient<TClient>(this IServiceCollection services, Action<GrpcClientFactoryOptions> configureClient)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(configureClient);
        return services.AddGrpcClient<TClient>((_, options) => configureClient(options));
    }

    public static IHttpClientBuilder AddGrpcClient<TClient>(this IServiceCollection services, Action<IServiceProvider, GrpcClientFactoryOptions> configureClient)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configureClient);
        var name = typeof(TClient).Name;
        services.AddOptions<GrpcClientFactoryOptions>(name).Configure<IServiceProvider>((options, sp) => configureClient(sp, options));
        services.AddServiceDiscovery();
        services.TryAddSingleton<GrpcClientChannels>();
        var factory = ActivatorUtilities.CreateFactory(typeof(TClient), [typeof(CallInvoker)]);
        services.TryAddTransient(sp => (TClient)factory(sp, [sp.GetRequiredService<GrpcClientChannels>().Get(name).CreateCallInvoker()]));
        return services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(GrpcChannel.CreateDefaultHandler)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // HttpClient defaults (ServiceDefaults' resilience: attempt timeouts, re-sending the request) would cut
            // long streams and cannot re-send a streamed body; gRPC retries UNAVAILABLE itself, and resolves its address above.
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear());
    }

    /// <summary>Adds channel configuration to a client registered with AddGrpcClient.</summary>
    public static IHttpClientBuilder ConfigureChannel(this IHttpClientBuilder builder, Action<GrpcChannelOptions> configureChannel)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<GrpcClientFactoryOptions>(builder.Name, options => options.ChannelOptionsActions.Add(configureChannel));
        return builder;
    }

    /// <summary>One channel per registered client name, built on the first resolution and disposed with the container.</summary>
    private sealed class GrpcClientChannels(IServiceProvider services) : IDisposable
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<GrpcChannel>> _channels = new(StringComparer.Ordinal);

        public GrpcChannel Get(string name) => _channels.GetOrAdd(name, n => new Lazy<GrpcChannel>(() => Create(n))).Value;

        private GrpcChannel Create(string name)
        {
            var options = services.GetRequiredService<IOptionsMonitor<GrpcClientFactoryOptions>>().Get(name);
            var address = options.Address ?? throw new InvalidOperationException($"gRPC client {name} has no Address: set it in AddGrpcClient<{name}>(o => o.Address = ...).");
            var channelOptions = new GrpcChannelOptions
            {
                HttpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(name),
                DisposeHttpClient = true,
                LoggerFactory = services.GetService<ILoggerFactory>(),
            };
            foreach (var configure in options.ChannelOptionsActions) configure(channelOptions);
            return GrpcChannel.ForAddress(GrpcEndpointResolution.Resolve(services.GetRequiredService<ServiceEndpointResolver>(), address), channelOptions);
        }

        public void Dispose()
        {
            foreach (var channel in _channels.Values)
            {
                if (channel.IsValueCreated) channel.Value.Dispose();
            }
        }
    }
}
