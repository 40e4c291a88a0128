// Unary gRPC throughput and latency: our server (Kestrel h2c) and client (GrpcChannel) against @grpc/grpc-js's,
// all four pairings in one run, printed with ratios. Goal: our server >= 2x the grpc-js server's unary calls/s.
// Usage: dotnet run -c Release --project bench/GrpcBench [seconds per run, default 4] [calls in flight, default 32]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Safety.V1;
using Platform.GrpcBench;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var interop = FindInteropDir();

// Our server.
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
await using var app = builder.Build();
app.MapGrpcService<BenchSafetyAuthority>();
await app.StartAsync();
var ourAddress = app.Urls.First();

// The grpc-js server.
using var node = StartNode(interop, "grpc-server.mjs");
var nodePort = (await node.StandardOutput.ReadLineAsync())?.Split(' ')[1] ?? throw new InvalidOperationException("grpc-server.mjs did not start");
var nodeAddress = "http://127.0.0.1:" + nodePort;

Console.WriteLine($"unary SafetyAuthority.GetState, {concurrency} calls in flight, {seconds} s per run after 1 s warm-up, {Environment.ProcessorCount} cores");
var ourOur = await RunOurClientAsync(ourAddress);
var ourNode = await RunOurClientAsync(nodeAddress);
var nodeOur = await RunNodeClientAsync(ourAddress);
var nodeNode = await RunNodeClientAsync(nodeAddress);

Print("dotnet client -> dotnet server", ourOur);
Print("dotnet client -> grpc-js server", ourNode);
Print("grpc-js client -> dotnet server", nodeOur);
Print("grpc-js client -> grpc-js server", nodeNode);
Console.WriteLine();
Console.WriteLine($"server throughput ratio (ours / grpc-js), dotnet client:  {ourOur.CallsPerSecond / ourNode.CallsPerSecond,6:0.00}x  (goal >= 2x)");
Console.WriteLine($"server throughput ratio (ours / grpc-js), grpc-js client: {nodeOur.CallsPerSecond / nodeNode.CallsPerSecond,6:0.00}x");
Console.WriteLine($"server p99 ratio (grpc-js / ours), dotnet client:         {ourNode.P99Us / ourOur.P99Us,6:0.00}x");
Console.WriteLine($"client throughput ratio (ours / grpc-js), dotnet server:  {ourOur.CallsPerSecond / nodeOur.CallsPerSecond,6:0.00}x");
Console.WriteLine($"client throughput ratio (ours / grpc-js), grpc-js server: {ourNode.CallsPerSecond / nodeNode.CallsPerSecond,6:0.00}x");

node.Kill(entireProcessTree: true);
await app.StopAsync();

async Task<LoadResult> RunOurClientAsync(string address)
{
    using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { Retry = null });
    var client = new SafetyAuthority.SafetyAuthorityClient(channel);
    await RunAsync(TimeSpan.FromSeconds(1), null);
    var latencies = new List<double>[concurrency];
    var clock = Stopwatch.StartNew();
    await RunAsync(TimeSpan.FromSeconds(seconds), latencies);
    var elapsed = clock.Elapsed.TotalSeconds;
    return LoadResult.From(latencies.SelectMany(l => l).ToList(), elapsed);

    async Task RunAsync(TimeSpan duration, List<double>[]? record)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = new List<double>(1 << 16);
            if (record is not null) record[worker] = mine;
            var request = new GetStateRequest();
            while (Stopwatch.GetTimestamp() < end)
            {
                var t0 = Stopwatch.GetTimestamp();
                await client.GetStateAsync(request);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            }
        }));
    }
}

async Task<LoadResult> RunNodeClientAsync(string address)
{
    using var process = StartNode(interop, "grpc-bench-client.mjs", address.Replace("http://", "", StringComparison.Ordinal), seconds.ToString(CultureInfo.InvariantCulture), concurrency.ToString(CultureInfo.InvariantCulture));
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"grpc-bench-client.mjs failed: {await process.StandardError.ReadToEndAsync()}");
    var json = JsonDocument.Parse(output).RootElement;
    return new LoadResult(json.GetProperty("calls").GetInt64(), json.GetProperty("seconds").GetDouble(), json.GetProperty("p50Us").GetDouble(), json.GetProperty("p99Us").GetDouble());
}

static void Print(string name, LoadResult r) =>
    Console.WriteLine($"{name,-34} {r.CallsPerSecond,10:N0} calls/s   p50 {r.P50Us / 1000,7:0.000} ms   p99 {r.P99Us / 1000,7:0.000} ms");

static Process StartNode(string interopDir, string script, params string[] arguments)
{
    var psi = new ProcessStartInfo("node") { WorkingDirectory = interopDir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
    psi.ArgumentList.Add(Path.Combine(interopDir, script));
    foreach (var a in arguments) psi.ArgumentList.Add(a);
    return Process.Start(psi) ?? throw new InvalidOperationException("node did not start: is Node.js installed?");
}

static string FindInteropDir()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "tests", "interop");
        if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")) && Directory.Exists(Path.Combine(candidate, "node_modules"))) return candidate;
    }
    throw new InvalidOperationException("tests/interop/node_modules not found: run `bash eng/install-deps.sh`.");
}
