using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Publishing;
using Aspire.Hosting.Testing;
using Platform.TestSupport;

namespace Platform.AppHost.Tests;

public sealed class ManifestTests
{
    /// <summary>The app model as the publishers see it: built in publish mode, so run-only wiring stays out.</summary>
    private static async Task<DistributedApplicationModel> PlatformModelAsync()
        => new([.. (await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--publisher", "manifest"])).Resources]);

    [Fact]
    public async Task CheckedInManifestIsWhatTheAppModelWrites()
    {
        var expected = ManifestPublisher.Generate(await PlatformModelAsync(), RepoPaths.Root);
        var checkedIn = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "aspire-manifest.json"));
        Assert.True(expected == checkedIn,
            "aspire-manifest.json is stale: run `dotnet run --project AppHost -- --publisher manifest --output-path aspire-manifest.json` from the repository root and commit it.");
    }

    [Fact]
    public async Task CheckedInKubernetesManifestsAreWhatTheAppModelWrites()
    {
        var expected = KubernetesPublisher.Generate(await PlatformModelAsync());
        var directory = Path.Combine(RepoPaths.Root, "deploy", "k8s");
        Assert.Equal(expected.Keys.Order(), Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        foreach (var (file, text) in expected)
        {
            Assert.True(text == await File.ReadAllTextAsync(Path.Combine(directory, file)),
                $"deploy/k8s/{file} is stale: run `dotnet run --project AppHost -- --publisher kubernetes --output-path deploy/k8s` and commit it.");
        }
    }

    [Fact]
    public async Task ManifestFollowsTheAspireSchema()
    {
        using var manifest = JsonDocument.Parse(ManifestPublisher.Generate(await PlatformModelAsync(), RepoPaths.Root));
        var root = manifest.RootElement;
        Assert.Equal("https://json.schemastore.org/aspire-8.0.json", root.GetProperty("$schema").GetString());
        var resources = root.GetProperty("resources");

        var nats = resources.GetProperty("nats");
        Assert.Equal("container.v0", nats.GetProperty("type").GetString());
        Assert.Equal("nats:2.10", nats.GetProperty("image").GetString());
        Assert.Equal(["-js"], nats.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("nats://{nats.bindings.tcp.host}:{nats.bindings.tcp.port}", nats.GetProperty("connectionString").GetString());
        Assert.Equal(4222, nats.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());

        foreach (var name in new[] { "safety-authority", "sim-runner", "encoder", "transport", "recorder", "telemetry-tailer" })
        {
            var project = resources.GetProperty(name);
            Assert.Equal("project.v0", project.GetProperty("type").GetString());
            var path = project.GetProperty("path").GetString()!;
            Assert.False(Path.IsPathRooted(path));
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, path)), path);
            Assert.Equal("{nats.connectionString}", project.GetProperty("env").GetProperty("ConnectionStrings__nats").GetString());
            var bindings = project.GetProperty("bindings");
            foreach (var binding in bindings.EnumerateObject())
            {
                Assert.Equal("http", binding.Value.GetProperty("scheme").GetString());
                Assert.Equal("tcp", binding.Value.GetProperty("protocol").GetString());
            }
            Assert.Equal("http", bindings.GetProperty("http").GetProperty("transport").GetString());
            Assert.Equal("http2", bindings.GetProperty("grpc").GetProperty("transport").GetString());
        }
        var transport = resources.GetProperty("transport");
        Assert.Equal("{safety-authority.bindings.grpc.url}", transport.GetProperty("env").GetProperty("services__safety-authority__grpc__0").GetString());
        Assert.Equal(8080, transport.GetProperty("bindings").GetProperty("http").GetProperty("port").GetInt32());
        Assert.True(transport.GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.False(resources.GetProperty("encoder").GetProperty("bindings").GetProperty("http").TryGetProperty("external", out _));
    }

    [Fact]
    public async Task PublisherCommandWritesTheManifest()
    {
        var output = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}", "aspire-manifest.json");
        try
        {
            var (exitCode, stdout, stderr) = await RunAppHostAsync("--publisher", "manifest", "--output-path", output);
            Assert.True(exitCode == 0, stderr);
            Assert.Contains("Published manifest to: " + output, stdout);
            var written = await File.ReadAllTextAsync(output);
            Assert.Equal(ManifestPublisher.Generate(await PlatformModelAsync(), Path.GetDirectoryName(output)!), written);
            Assert.Contains("\"path\": \"", written);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }

    [Fact]
    public async Task UnknownPublisherIsRefusedWithTheChoices()
    {
        var (exitCode, _, stderr) = await RunAppHostAsync("--publisher", "helm", "--output-path", Path.GetTempPath());
        Assert.Equal(1, exitCode);
        Assert.Equal("Unknown publisher 'helm': use manifest or kubernetes.", stderr.Trim());
    }

    /// <summary>Runs the built AppHost as a user would (no build), returning its exit code and output.</summary>
    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunAppHostAsync(IReadOnlyDictionary<string, string>? env = null, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        start.ArgumentList.Add(new Projects.AppHost().TargetPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAppHostAsync(params string[] args) => RunAppHostAsync(null, args);
}
