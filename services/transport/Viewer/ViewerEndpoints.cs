using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Platform.Transport.Viewer;

/// <summary>
/// Serves the viewer page (wwwroot next to the assembly: index.html, css/, js/ as plain ES modules) at the root.
/// The folder is resolved from the assembly, not the content root, so the page is found the same way under
/// `dotnet run`, a published app, the AppHost and in-process test hosts.
/// Each file is a GET endpoint of its own rather than static-file middleware: the gRPC "unimplemented" route
/// (<c>{service}/{method}</c>, POST only) that MapDefaultEndpoints brings would otherwise match two-segment paths such
/// as /js/main.js first and answer 405 before any middleware after routing could serve the file.
/// </summary>
public static class ViewerEndpoints
{
    public static string WebRoot { get; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static WebApplication MapViewer(this WebApplication app)
    {
        if (!Directory.Exists(WebRoot))
            throw new DirectoryNotFoundException($"The viewer page is missing: {WebRoot} does not exist (wwwroot is copied to the output at build).");
        app.UsePageSecurityHeaders();
        var contentTypes = new FileExtensionContentTypeProvider();
        foreach (var file in Directory.EnumerateFiles(WebRoot, "*", SearchOption.AllDirectories))
        {
            // Only files a browser has a type for (no stray editor or OS files).
            if (!contentTypes.TryGetContentType(file, out var contentType)) continue;
            var relative = Path.GetRelativePath(WebRoot, file).Replace(Path.DirectorySeparatorChar, '/');
            var serve = Serve(file, contentType);
            app.MapGet("/" + relative, serve).WithDisplayName("viewer /" + relative);
            if (relative == "index.html") app.MapGet("/", serve).WithDisplayName("viewer /");
        }
        return app;
    }

    private static Func<HttpContext, IResult> Serve(string path, string contentType) => context =>
    {
        // An operator's open tab picks up a new page on reload, never a stale module from the cache.
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        var info = new FileInfo(path);
        var tag = new EntityTagHeaderValue($"\"{info.LastWriteTimeUtc.Ticks:x}-{info.Length:x}\"");
        return Results.File(path, contentType, lastModified: info.LastWriteTimeUtc, entityTag: tag);
    };
}
