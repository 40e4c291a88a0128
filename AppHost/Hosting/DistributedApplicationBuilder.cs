using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Dashboard;
using Aspire.Hosting.Orchestration;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

internal sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    // The testing builder runs the AppHost's Program and takes the builder at Build() instead of running it.
    private static readonly AsyncLocal<Action<DistributedApplicationBuilder>?> s_buildInterceptor = new();

    private readonly WebApplicationBuilder _host;
    private readonly DistributedApplicationOptions _options;

    public DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        _options = options;
        AppHostDirectory = FindAppHostDirectory();
        _host = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = options.Args,
            ApplicationName = "Platform.AppHost",
            ContentRootPath = AppHostDirectory,
        });
        _host.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        _host.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        _host.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        var publisher = Configuration["publisher"];
        ExecutionContext = new DistributedApplicationExecutionContext(
            string.IsNullOrEmpty(publisher) ? null : publisher,
            Configuration["output-path"]);
    }

    public ConfigurationManager Configuration => _host.Configuration;

    public IServiceCollection Services => _host.Services;

    public IHostEnvironment Environment => _host.Environment;

    public string AppHostDirectory { get; }

    public DistributedApplicationExecutionContext ExecutionContext { get; }

    public IList<IResource> Resources { get; } = [];

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        if (Resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
            throw new DistributedApplicationException($"Cannot add resource '{resource.Name}': a resource with that name already exists.");
        Resources.Add(resource);
        return CreateResourceBuilder(resource);
    }

    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => new ResourceBuilder<T>(this, resource);

    public DistributedApplication Build()
    {
        if (s_buildInterceptor.Value is { } intercept)
        {
            s_buildInterceptor.Value = null;
            intercept(this);
            throw new BuilderCapturedException();
        }
        return BuildApplication();
    }

    /// <summary>Runs <paramref name="entryPoint"/> and returns the builder it configured, without building it.</summary>
    internal static DistributedApplicationBuilder Capture(Action entryPoint)
    {
        DistributedApplicationBuilder? captured = null;
        s_buildInterceptor.Value = b => captured = b;
        try
        {
            entryPoint();
        }
        catch (TargetInvocationException ex) when (ex.InnerException is BuilderCapturedException)
        {
        }
        catch (BuilderCapturedException)
        {
        }
        finally
        {
            s_buildInterceptor.Value = null;
        }
        return captured ?? throw new InvalidOperationException("The AppHost's Program returned without calling builder.Build().");
    }

    private DistributedApplication BuildApplication()
    {
        var model = new DistributedApplicationModel(Resources.ToList());
        var options = OrchestratorOptions.From(Configuration, AppHostDirectory);
        var dashboard = DashboardOptions.From(Configuration, options.RandomizePorts, _options.DisableDashboard);
        if (ExecutionContext.IsRunMode && dashboard.Enabled)
            _host.WebHost.UseUrls(dashboard.Url, dashboard.OtlpUrl);
        else
            _host.WebHost.UseUrls(); // no listener is needed to publish or to run without a dashboard

        Services.AddSingleton(model);
        Services.AddSingleton(ExecutionContext);
        Services.AddSingleton(options);
        Services.AddSingleton(dashboard);
        Services.AddSingleton<ResourceNotificationService>();
        Services.AddSingleton<OtlpTelemetryCounter>();
        if (ExecutionContext.IsRunMode)
        {
            Services.AddSingleton<Orchestrator>();
            Services.AddHostedService(sp => sp.GetRequiredService<Orchestrator>());
        }

        var app = _host.Build();
        if (ExecutionContext.IsRunMode && dashboard.Enabled) app.MapDashboard();
        return new DistributedApplication(app, ExecutionContext);
    }

    private static string FindAppHostDirectory()
    {
        var recorded = typeof(DistributedApplicationBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AppHostProjectDirectory")?.Value;
        return recorded is not null && Directory.Exists(recorded) ? recorded : AppContext.BaseDirectory;
    }

    private sealed class BuilderCapturedException : Exception;
}
