using Microsoft.Extensions.DependencyInjection;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>One service instance per call: from the request's DI scope when registered, otherwise created (and disposed) here.</summary>
internal static class ServiceActivator<TService> where TService : class
{
    private static readonly Lazy<ObjectFactory> Factory = new(() => ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes));

    public static (TService Service, bool Created) Create(IServiceProvider services)
    {
        var registered = services.GetService<TService>();
        return registered is not null ? (registered, false) : ((TService)Factory.Value(services, null), true);
    }

    public static async ValueTask ReleaseAsync(TService service)
    {
        if (service is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        else if (service is IDisposable disposable) disposable.Dispose();
    }
}
