using System.Diagnostics;
using System.Text.Json;
using Platform.TestSupport;

namespace Platform.AppHost.Tests;

/// <summary>aspire-manifest.json as Aspire's manifest publisher writes it from the AppHost.</summary>
public sealed class ManifestTests
{
    private const string Regenerate = "dotnet run --project AppHost -- --publisher manifest --output-path \"$PWD/aspire-manifest.json\"";

    [Fact]
    public async Task Checked_in_manifest_is_what_the_publisher_writes()
    {
        var written = await PublishAsync();
        var checkedIn = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "aspire-manifest.json"));
        Assert.True(written == checkedIn, $"aspire-manifest.json is stale: run `{Regenerate}` from the repository root and commit it.");
    }

    [Fact]
    public async Task Manifest_has_nats_as_an_executable_with_its_bindings_and_the_services_wired_to_it()
    {
        using var manifest = JsonDocument.Parse(await PublishAsync());
        var resources = manifest.RootElement.GetProperty("resources");

        var nats = resources.GetProperty("nats");
        Assert.Equal("executable.v0", nats.GetProperty("type").GetString());
        Assert.Equal("nats-server", nats.GetProperty("command").GetString());
        Assert.Equal("nats://{nats.bindings.tcp.host}:{nats.bindings.tcp.port}", nats.GetProperty("connectionString").GetString());
        var args = nats.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains("-js", args);
        Assert.Equal("{nats.bindings.tcp.targetPort}", args[args.IndexOf("-p") + 1]);
        Assert.Equal("{nats.bindings.monitor.targetPort}", args[args.IndexOf("-m") + 1]);
        Assert.DoesNotContain("-sd", args); // the local store folder and the loopback binding are no deployment's business
        Assert.DoesNotContain("-a", args);
        var bindings = nats.GetProperty("bindings");
        Assert.Equal(4222, bindings.GetProperty("tcp").GetProperty("targetPort").GetInt32());
        Assert.Equal("tcp", bindings.GetProperty("tcp").GetProperty("scheme").GetString());
        Assert.Equal(8222, bindings.GetProperty("monitor").GetProperty("targetPort").GetInt32());

        foreach (var name in new[] { "safety-authority", "sim-runner", "encoder", "transport", "recorder", "telemetry-tailer" })
        {
            var project = resources.GetProperty(name);
            Assert.Equal("project.v0", project.GetProperty("type").GetString());
            var path = project.GetProperty("path").GetString()!;
            Assert.False(Path.IsPathRooted(path));
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, path)), path);
            Assert.Equal("{nats.connectionString}", project.GetProperty("env").GetProperty("ConnectionStrings__nats").GetString());
            Assert.Equal("http2", project.GetProperty("bindings").GetProperty("grpc").GetProperty("transport").GetString());
        }
        Assert.Equal("{encoder.bindings.grpc.url}", resources.GetProperty("sim-runner").GetProperty("env").GetProperty("services__encoder__grpc__0").GetString());
        var viewer = resources.GetProperty("transport").GetProperty("bindings").GetProperty("http");
        Assert.True(viewer.GetProperty("external").GetBoolean());
    }

    /// <summary>Runs the built AppHost's manifest publisher into a file beside the checked-in one (paths in it are relative to it).</summary>
    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(RepoPaths.Root, $"aspire-manifest.{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in new[] { "run", "--project", Projects.AppHost.ProjectPath, "--no-build", "--", "--publisher", "manifest", "--output-path", output })
            start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"{await stdout}\n{await stderr}");
            return await File.ReadAllTextAsync(output);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
