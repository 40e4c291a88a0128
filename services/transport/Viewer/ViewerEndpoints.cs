using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Platform.Transport.Viewer;

/// <summary>
/// Serves the viewer page (wwwroot next to the assembly: index.html, css/, js/ as plain ES modules) at the root.
/// The folder is resolved from the assembly, not the content root, so the page is found the same way under
/// `dotnet run`, a published app, the AppHost and in-process test hosts.
/// </summary>
public static class ViewerEndpoints
{
    public static string WebRoot { get; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static WebApplication MapViewer(this WebApplication app)
    {
        if (!Directory.Exists(WebRoot))
            throw new DirectoryNotFoundException($"The viewer page is missing: {WebRoot} does not exist (wwwroot is copied to the output at build).");
        var files = new PhysicalFileProvider(WebRoot);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // An operator's open tab picks up a new page on reload, never a stale module from the cache.
            OnPrepareResponse = context => context.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
        return app;
    }
}
