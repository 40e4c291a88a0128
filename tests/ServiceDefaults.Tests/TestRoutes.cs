using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ServiceDefaults.Tests;

/// <summary>
/// A route a test puts in front of the recorder's pipeline: the recorder's Program is ServiceDefaults and nothing else
/// (health only), so these tests add the request they need to it with a startup filter.
/// </summary>
internal static class TestRoutes
{
    public static Action<IServiceCollection> Map(string path, RequestDelegate handler)
        => services => services.AddSingleton<IStartupFilter>(new Route(path, handler));

    private sealed class Route(string path, RequestDelegate handler) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map(path, branch => branch.Run(handler));
            next(app);
        };
    }
}
