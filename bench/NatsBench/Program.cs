// gRPC on grpc-dotnet (Grpc.AspNetCore server, Grpc.Net.Client) against @grpc/grpc-js, every pairing in one run,
// printed with ratios:
//  - unary SafetyAuthority.GetState: calls/s, p50, p99 (goal: the dotnet server >= 2x the grpc-js server);
//  - Encoder.Ingest: I420 frames/s written back to back at 720p and 1080p;
//  - Encoder.Ingest paced at 1080p60, dotnet to dotnet: delay from each write to the handler's read (goal: p99 < 1 ms).
// Usage: dotnet run -c Release --project bench/GrpcBench [seconds per run, default 4] [unary calls in flight, default 32]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Safety.V1;
using Platform.GrpcBench;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var interop = FindInteropDir();
const int MaxFrameBytes = 16 * 1024 * 1024;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
builder.Services.AddSingleton<IngestLatencies>();
builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = MaxFrameBytes);
await using var app = builder.Build();
app.MapGrpcService<BenchSafetyAuthority>();
app.MapGrpcService<BenchEncoder>();
await app.StartAsync();
var dotnetServer = app.Urls.First();

using var node = StartNode(interop, "grpc-server.mjs");
var nodePort = (await node.StandardOutput.ReadLineAsync())?.Split(' ')[1] ?? throw new InvalidOperationException("grpc-server.mjs did not start");
var nodeServer = "http://127.0.0.1:" + nodePort;

Console.WriteLine($"{seconds} s per run after 1 s warm-up, {Environment.ProcessorCount} cores; unary: {concurrency} calls in flight");
Console.WriteLine();
var unary = new Dictionary<string, LoadResult>
{
    ["dotnet -> dotnet"] = await DotnetUnaryAsync(dotnetServer),
    ["dotnet -> grpc-js"] = await DotnetUnaryAsync(nodeServer),
    ["grpc-js -> dotnet"] = await NodeUnaryAsync(dotnetServer),
    ["grpc-js -> grpc-js"] = await NodeUnaryAsync(nodeServer),
};
foreach (var (pair, r) in unary)
    Console.WriteLine($"unary   {pair,-20} {r.CallsPerSecond,10:N0} calls/s   p50 {r.P50Us / 1000,7:0.000} ms   p99 {r.P99Us / 1000,7:0.000} ms");

var ingest = new Dictionary<string, double>();
foreach (var (w, h) in new[] { (1280, 720), (1920, 1080) })
{
    ingest[$"{h}p dotnet -> dotnet"] = await DotnetIngestAsync(dotnetServer, w, h);
    ingest[$"{h}p dotnet -> grpc-js"] = await DotnetIngestAsync(nodeServer, w, h);
    ingest[$"{h}p grpc-js -> dotnet"] = await NodeIngestAsync(dotnetServer, w, h);
    ingest[$"{h}p grpc-js -> grpc-js"] = await NodeIngestAsync(nodeServer, w, h);
}
Console.WriteLine();
foreach (var (pair, fps) in ingest) Console.WriteLine($"ingest  {pair,-26} {fps,8:N0} frames/s");

var paced = await PacedIngestAsync(dotnetServer, 1920, 1080, 60);
Console.WriteLine();
Console.WriteLine($"ingest  1080p60 paced, dotnet -> dotnet: {paced.Calls} frames in {paced.Seconds:0.0} s, write-to-handler p50 {paced.P50Us / 1000:0.000} ms, p99 {paced.P99Us / 1000:0.000} ms (goal p99 < 1 ms)");

Console.WriteLine();
Console.WriteLine("ratios (dotnet / grpc-js)");
Console.WriteLine($"  unary server calls/s, dotnet client:   {unary["dotnet -> dotnet"].CallsPerSecond / unary["dotnet -> grpc-js"].CallsPerSecond,6:0.00}x  (goal >= 2x)");
Console.WriteLine($"  unary server calls/s, grpc-js client:  {unary["grpc-js -> dotnet"].CallsPerSecond / unary["grpc-js -> grpc-js"].CallsPerSecond,6:0.00}x");
Console.WriteLine($"  unary server p99 (grpc-js / dotnet):   {unary["dotnet -> grpc-js"].P99Us / unary["dotnet -> dotnet"].P99Us,6:0.00}x");
Console.WriteLine($"  unary client calls/s, dotnet server:   {unary["dotnet -> dotnet"].CallsPerSecond / unary["grpc-js -> dotnet"].CallsPerSecond,6:0.00}x");
foreach (var h in new[] { 720, 1080 })
{
    Console.WriteLine($"  ingest {h}p server frames/s, dotnet client:  {ingest[$"{h}p dotnet -> dotnet"] / ingest[$"{h}p dotnet -> grpc-js"],6:0.00}x");
    Console.WriteLine($"  ingest {h}p client frames/s, dotnet server:  {ingest[$"{h}p dotnet -> dotnet"] / ingest[$"{h}p grpc-js -> dotnet"],6:0.00}x");
}

node.Kill(entireProcessTree: true);
await app.StopAsync();

async Task<LoadResult> DotnetUnaryAsync(string address)
{
    using var channel = GrpcChannel.ForAddress(address);
    var client = new SafetyAuthority.SafetyAuthorityClient(channel);
    await RunAsync(TimeSpan.FromSeconds(1), null);
    var latencies = new List<double>[concurrency];
    var clock = Stopwatch.StartNew();
    await RunAsync(TimeSpan.FromSeconds(seconds), latencies);
    return LoadResult.From(latencies.SelectMany(l => l).ToList(), clock.Elapsed.TotalSeconds);

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
                await client.GetStateAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            }
        }));
    }
}

async Task<double> DotnetIngestAsync(string address, int width, int height)
{
    using var channel = GrpcChannel.ForAddress(address);
    var client = new Encoder.EncoderClient(channel);
    var data = UnsafeByteOperations.UnsafeWrap(new byte[width * height * 3 / 2]);
    await StreamAsync(TimeSpan.FromSeconds(1));
    var clock = Stopwatch.StartNew();
    var frames = await StreamAsync(TimeSpan.FromSeconds(seconds));
    return frames / clock.Elapsed.TotalSeconds;

    async Task<ulong> StreamAsync(TimeSpan duration)
    {
        using var call = client.Ingest();
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (ulong id = 1; Stopwatch.GetTimestamp() < end; id++)
            await call.RequestStream.WriteAsync(new RawFrame { Stream = "bench", FrameId = id, Width = (uint)width, Height = (uint)height, PixelFormat = PixelFormat.I420, Data = data });
        await call.RequestStream.CompleteAsync();
        return (await call).FramesReceived;
    }
}

async Task<LoadResult> PacedIngestAsync(string address, int width, int height, int fps)
{
    using var channel = GrpcChannel.ForAddress(address);
    var data = UnsafeByteOperations.UnsafeWrap(new byte[width * height * 3 / 2]);
    var latencies = app.Services.GetRequiredService<IngestLatencies>();
    using var call = new Encoder.EncoderClient(channel).Ingest();
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / fps));
    var clock = Stopwatch.StartNew();
    for (ulong id = 1; id <= (ulong)(seconds * fps) && await timer.WaitForNextTickAsync(); id++)
    {
        await call.RequestStream.WriteAsync(new RawFrame
        {
            Stream = IngestLatencies.PacedStream, FrameId = id, Width = (uint)width, Height = (uint)height, PixelFormat = PixelFormat.I420,
            CaptureTsUs = IngestLatencies.Stamp(), Data = data,
        });
    }
    await call.RequestStream.CompleteAsync();
    var summary = await call;
    var elapsed = clock.Elapsed.TotalSeconds;
    // The first second is warm-up (connection, JIT); the rest is the steady state.
    return LoadResult.From(latencies.Us.Skip(fps).ToList(), elapsed) with { Calls = (long)summary.FramesReceived };
}

async Task<LoadResult> NodeUnaryAsync(string address)
{
    var json = await RunNodeAsync("unary", address, concurrency.ToString(CultureInfo.InvariantCulture));
    return new LoadResult(json.GetProperty("calls").GetInt64(), json.GetProperty("seconds").GetDouble(), json.GetProperty("p50Us").GetDouble(), json.GetProperty("p99Us").GetDouble());
}

async Task<double> NodeIngestAsync(string address, int width, int height)
{
    var json = await RunNodeAsync("ingest", address, width.ToString(CultureInfo.InvariantCulture), height.ToString(CultureInfo.InvariantCulture));
    return json.GetProperty("framesReceived").GetDouble() / json.GetProperty("seconds").GetDouble();
}

async Task<JsonElement> RunNodeAsync(string mode, string address, params string[] more)
{
    using var process = StartNode(interop, "grpc-bench-client.mjs", [mode, address.Replace("http://", "", StringComparison.Ordinal), seconds.ToString(CultureInfo.InvariantCulture), .. more]);
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"grpc-bench-client.mjs {mode} failed: {await process.StandardError.ReadToEndAsync()}");
    return JsonDocument.Parse(output).RootElement;
}

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
