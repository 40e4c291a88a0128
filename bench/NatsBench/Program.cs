using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NATS.Client.Core;
using Platform.TestSupport;

// bench/NatsBench: NATS.Net, used as the services use it, vs the official `nats` npm client
// (tests/interop/nats-bench.mjs) on one nats-server started here, in the same run. Ratios > 1 mean NATS.Net is
// faster. Run in Release:
//   dotnet run -c Release --project bench/NatsBench
const int RequestCount = 5_000;
const int VideoCount = 2_000;
const int VideoAuBytes = 60 * 1024;
await using var server = await NatsServer.StartAsync();
Console.WriteLine($"nats-server {server.Url}; .NET {Environment.Version}; {Environment.ProcessorCount} cores");

var results = new List<(string Name, double Ours, double Node, bool HigherIsBetter, string Unit)>();
foreach (var (size, count) in new[] { (16, 2_000_000), (1024, 300_000) })
{
    var ours = await PublishThroughputAsync(server.Url, size, count);
    var node = JsonDocument.Parse(await NodePeer.RunAsync("nats-bench.mjs", TimeSpan.FromSeconds(60), server.Url, "pub", Str(size), Str(count))).RootElement;
    results.Add(($"publish {size} B", ours, node.GetProperty("msgsPerSec").GetDouble(), true, "msgs/s"));
}

var (p50, p99) = await RequestReplyAsync(server.Url, 128, RequestCount);
var rr = JsonDocument.Parse(await NodePeer.RunAsync("nats-bench.mjs", TimeSpan.FromSeconds(60), server.Url, "rr", "128", Str(RequestCount))).RootElement;
results.Add(("request/reply 128 B p50", p50, rr.GetProperty("p50us").GetDouble(), false, "µs"));
results.Add(("request/reply 128 B p99", p99, rr.GetProperty("p99us").GetDouble(), false, "µs"));

var (v50, v99) = await VideoLatencyAsync(server.Url, VideoAuBytes, VideoCount);
var video = JsonDocument.Parse(await NodePeer.RunAsync("nats-bench.mjs", TimeSpan.FromSeconds(120), server.Url, "video", Str(VideoAuBytes), Str(VideoCount))).RootElement;
results.Add(("60 KB video AU p50", v50, video.GetProperty("p50us").GetDouble(), false, "µs"));
results.Add(("60 KB video AU p99", v99, video.GetProperty("p99us").GetDouble(), false, "µs"));

// Where a video gap lies: each side of NATS.Net against node's, with the other client at the far end.
var (pub50, pub99) = await NodeSubscriberLatencyAsync(server.Url, VideoAuBytes, VideoCount);
results.Add(("  pub NATS.Net → sub node p50", pub50, video.GetProperty("p50us").GetDouble(), false, "µs"));
results.Add(("  pub NATS.Net → sub node p99", pub99, video.GetProperty("p99us").GetDouble(), false, "µs"));
var (sub50, sub99, nodeSub) = await NodePublisherLatencyAsync(server.Url, VideoAuBytes, VideoCount);
results.Add(("  pub node → sub NATS.Net p50", sub50, nodeSub.GetProperty("p50us").GetDouble(), false, "µs"));
results.Add(("  pub node → sub NATS.Net p99", sub99, nodeSub.GetProperty("p99us").GetDouble(), false, "µs"));

Console.WriteLine();
Console.WriteLine($"{"benchmark",-32}{"NATS.Net",16}{"nats (npm)",16}{"ratio (NATS.Net vs node)",28}");
foreach (var r in results)
{
    var ratio = r.HigherIsBetter ? r.Ours / r.Node : r.Node / r.Ours;
    Console.WriteLine($"{r.Name,-32}{Fmt(r.Ours) + " " + r.Unit,16}{Fmt(r.Node) + " " + r.Unit,16}{ratio,24:0.00}x {(ratio >= 1 ? "faster" : "slower")}");
}
Console.WriteLine($"turn-1 Platform.Nats reached 1.5-2.7x node's publish rate and 83-117 µs request/reply p50 (NATS.Net here: {p50:0} µs)");

static async Task<double> PublishThroughputAsync(string url, int size, int count)
{
    await using var nats = new NatsConnection(NatsOpts.Default with { Url = url, Name = "dotnet-bench-pub" });
    await nats.ConnectAsync();
    var payload = new ReadOnlyMemory<byte>(new byte[size]);
    for (var i = 0; i < 10_000; i++) await nats.PublishAsync("bench.dotnet.warm", payload);
    await nats.PingAsync();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++) await nats.PublishAsync("bench.dotnet.pub", payload);
    await nats.PingAsync(); // the server has processed every publish once the PONG comes back
    return count / clock.Elapsed.TotalSeconds;
}

static async Task<(double P50, double P99)> RequestReplyAsync(string url, int size, int count)
{
    await using var service = new NatsConnection(NatsOpts.Default with { Url = url, Name = "dotnet-bench-service" });
    await using var client = new NatsConnection(NatsOpts.Default with { Url = url, Name = "dotnet-bench-client" });
    await using var sub = await service.SubscribeCoreAsync<ReadOnlyMemory<byte>>("bench.dotnet.rr");
    using var stop = new CancellationTokenSource();
    var responder = Task.Run(async () =>
    {
        await foreach (var msg in sub.Msgs.ReadAllAsync(stop.Token)) await msg.ReplyAsync(msg.Data);
    });
    await service.PingAsync();
    var payload = new ReadOnlyMemory<byte>(new byte[size]);
    for (var i = 0; i < 1000; i++) await client.RequestAsync<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>("bench.dotnet.rr", payload);
    var samples = new double[count];
    for (var i = 0; i < count; i++)
    {
        var t = Stopwatch.GetTimestamp();
        await client.RequestAsync<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>("bench.dotnet.rr", payload);
        samples[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
    }
    await stop.CancelAsync();
    await responder.ContinueWith(_ => { }, TaskScheduler.Default);
    Array.Sort(samples);
    return (samples[count / 2], samples[Math.Min(count - 1, (int)(count * 0.99))]);
}

// The encoder's publish (byte[] AU, five video headers) to a subscriber reading raw bytes as the transport does,
// about 1 ms apart; latency from a Stopwatch stamp in Capture-Ts to the subscriber's read.
static async Task<(double P50, double P99)> VideoLatencyAsync(string url, int size, int count)
{
    const string subject = "bench.dotnet.video";
    await using var subscriber = await VideoSubscriber.StartAsync(url, subject, count);
    await PublishVideoAsync(url, subject, size, count);
    return await subscriber.LatencyAsync();
}

// NATS.Net's publisher with node's subscriber (tests/interop/nats-bench.mjs video-sub): the publish side alone.
static async Task<(double P50, double P99)> NodeSubscriberLatencyAsync(string url, int size, int count)
{
    const string subject = "bench.cross.video";
    await using var node = NodePeer.Start("nats-bench.mjs", url, "video-sub", subject, Str(count));
    await node.WaitForLineAsync(line => line == "ready", TimeSpan.FromSeconds(30));
    await PublishVideoAsync(url, subject, size, count);
    var output = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
    var result = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
    return (result.GetProperty("p50us").GetDouble(), result.GetProperty("p99us").GetDouble());
}

// Node's video run with a NATS.Net subscriber beside node's own: both read the same messages, the subscribe side alone.
static async Task<(double P50, double P99, JsonElement Node)> NodePublisherLatencyAsync(string url, int size, int count)
{
    await using var subscriber = await VideoSubscriber.StartAsync(url, "bench.node.video", count);
    var node = JsonDocument.Parse(await NodePeer.RunAsync("nats-bench.mjs", TimeSpan.FromSeconds(120), url, "video", Str(size), Str(count))).RootElement;
    var (p50, p99) = await subscriber.LatencyAsync();
    return (p50, p99, node);
}

// Capture-Ts is a Stopwatch stamp; on Linux that is CLOCK_MONOTONIC in ns, the clock node's process.hrtime reads.
static async Task PublishVideoAsync(string url, string subject, int size, int count)
{
    await using var pub = new NatsConnection(NatsOpts.Default with { Url = url, Name = "dotnet-bench-video-pub" });
    var au = new byte[size];
    for (var i = 0; i < VideoSubscriber.Warm + count; i++)
    {
        var headers = new NatsHeaders
        {
            ["Frame-Id"] = Str(i),
            ["Pts"] = Str(i * 33_333),
            ["Codec"] = "h264",
            ["Keyframe"] = i % 30 == 0 ? "true" : "false",
            ["Capture-Ts"] = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture),
        };
        await pub.PublishAsync(subject, au, headers);
        await Task.Delay(1);
    }
}

static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

static string Fmt(double value) => value >= 10_000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.0", CultureInfo.InvariantCulture);

/// <summary>A NATS.Net subscriber reading raw bytes as the transport does; latency from Capture-Ts to each read.</summary>
sealed class VideoSubscriber : IAsyncDisposable
{
    public const int Warm = 200;
    private readonly NatsConnection _connection;
    private readonly INatsSub<byte[]> _sub;
    private readonly Task<double[]> _reader;

    private VideoSubscriber(NatsConnection connection, INatsSub<byte[]> sub, int count)
    {
        _connection = connection;
        _sub = sub;
        _reader = Task.Run(async () =>
        {
            var samples = new double[count];
            for (var i = 0; i < Warm + count; i++)
            {
                var msg = await sub.Msgs.ReadAsync();
                var sent = long.Parse(msg.Headers!["Capture-Ts"].ToString(), CultureInfo.InvariantCulture);
                if (i >= Warm) samples[i - Warm] = Stopwatch.GetElapsedTime(sent).TotalMicroseconds;
            }
            return samples;
        });
    }

    public static async Task<VideoSubscriber> StartAsync(string url, string subject, int count)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = url, Name = "dotnet-bench-video-sub" });
        var sub = await connection.SubscribeCoreAsync<byte[]>(subject,
            opts: new NatsSubOpts { ChannelOpts = new NatsSubChannelOpts { Capacity = Warm + count } });
        await connection.PingAsync();
        return new VideoSubscriber(connection, sub, count);
    }

    public async Task<(double P50, double P99)> LatencyAsync()
    {
        var samples = await _reader.WaitAsync(TimeSpan.FromSeconds(60));
        Array.Sort(samples);
        return (samples[samples.Length / 2], samples[Math.Min(samples.Length - 1, (int)(samples.Length * 0.99))]);
    }

    public async ValueTask DisposeAsync()
    {
        await _sub.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
