using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.TestSupport;
using Platform.Transport.Tests;

namespace Platform.TransportBench;

/// <summary>
/// Transport fan-out bench: the transport (a child process) on a real nats-server; a stand-in encoder publishes
/// 720p-sized access units (30–60 KB, keyframe every 30) at 30 fps on video.main.live; N WebSocket clients read.
/// Prints delivered fps per client (min/p50), delivered/published, publish → receive latency p50/p99 and the
/// transport's CPU, against a baseline in the same run: one raw NATS subscriber on the same stream.
/// Usage: dotnet run -c Release --project bench/TransportBench [-- clients seconds fps]
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var clients = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var fps = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 30;
        Console.WriteLine($"TransportBench: {clients} WebSocket clients, {fps} fps for {seconds} s, 30-60 KB access units, keyframe every 30; {Environment.ProcessorCount} CPUs");

        await using var nats = await NatsServer.StartAsync();
        await using var transport = await TransportProcess.StartAsync(nats.Url);
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url, Name = "transport-bench" });
        await connection.ConnectAsync();
        await using var baselineConnection = new NatsConnection(NatsOpts.Default with { Url = nats.Url, Name = "transport-bench-baseline" });
        await using var video = await VideoPublisher.StartAsync(connection, keyframeEvery: 30);

        var baseline = new Receiver();
        await using var baselineSub = await baselineConnection.SubscribeCoreAsync<byte[]>(SubjectNames.VideoLive("main"));
        var baselineLoop = Task.Run(async () =>
        {
            await foreach (var msg in baselineSub.Msgs.ReadAllAsync())
            {
                var data = msg.Data!;
                var (id, at) = VideoPublisher.Stamp([.. new byte[33], .. data.AsSpan(0, 16)]);
                baseline.OnFrame(id, at);
            }
        });

        using var stop = new CancellationTokenSource();
        var receivers = new Receiver[clients];
        var sockets = new ClientWebSocket[clients];
        var loops = new Task[clients];
        for (var i = 0; i < clients; i++)
        {
            receivers[i] = new Receiver();
            sockets[i] = new ClientWebSocket();
            await sockets[i].ConnectAsync(new Uri($"ws://127.0.0.1:{transport.Port}/stream/ws?client=bench{i}"), CancellationToken.None);
            loops[i] = ReadAsync(sockets[i], receivers[i], stop.Token);
        }

        var random = new Random(7);
        int Size(bool keyframe) => keyframe ? 60 * 1024 : random.Next(30 * 1024, 45 * 1024);
        // Warm-up: every client is past its first keyframe (the transport asks the encoder for one) and JIT is done.
        await PublishAsync(video, fps, TimeSpan.FromSeconds(2), Size);

        var firstFrame = video.LastFrameId + 1;
        foreach (var r in receivers.Append(baseline)) r.Start(firstFrame);
        var cpuBefore = transport.CpuTime;
        var wall = Stopwatch.StartNew();
        var published = await PublishAsync(video, fps, TimeSpan.FromSeconds(seconds), Size);
        var publishWall = wall.Elapsed.TotalSeconds;
        var cpu = (transport.CpuTime - cpuBefore).TotalSeconds;
        await Task.Delay(500); // the last frames in flight
        foreach (var r in receivers.Append(baseline)) r.Stop();

        var perClientFps = receivers.Select(r => r.Frames / publishWall).Order().ToList();
        var delivered = receivers.Sum(r => (long)r.Frames);
        var wsLatencies = receivers.SelectMany(r => r.Latencies).Order().ToList();
        var natsLatencies = baseline.Latencies.Order().ToList();
        var publishedFps = published / publishWall;
        Console.WriteLine();
        Console.WriteLine($"published: {published} frames, {publishedFps:0.0} fps");
        Console.WriteLine($"{"path",-34} {"fps min",8} {"fps p50",8} {"delivered",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        Console.WriteLine($"{"baseline: raw NATS subscriber",-34} {baseline.Frames / publishWall,8:0.0} {baseline.Frames / publishWall,8:0.0} {baseline.Frames / (double)published,10:P1} {Pct(natsLatencies, 0.5),8:0.0} {Pct(natsLatencies, 0.99),8:0.0} {natsLatencies.LastOrDefault(),8:0.0}");
        Console.WriteLine($"{$"transport /stream/ws x{clients}",-34} {perClientFps[0],8:0.0} {Pct(perClientFps, 0.5),8:0.0} {delivered / (double)(published * clients),10:P1} {Pct(wsLatencies, 0.5),8:0.0} {Pct(wsLatencies, 0.99),8:0.0} {wsLatencies.LastOrDefault(),8:0.0}");
        Console.WriteLine($"transport CPU: {cpu:0.00} s over {publishWall:0.0} s = {cpu / publishWall:P0} of one core; out of order: {receivers.Sum(r => r.OutOfOrder)}; clients open: {sockets.Count(s => s.State == WebSocketState.Open)}/{clients}");
        Console.WriteLine($"ratios to baseline: fps p50 {Pct(perClientFps, 0.5) / Math.Max(1e-9, baseline.Frames / publishWall):0.00}x, latency p50 {Pct(wsLatencies, 0.5) / Math.Max(1e-9, Pct(natsLatencies, 0.5)):0.0}x, p99 {Pct(wsLatencies, 0.99) / Math.Max(1e-9, Pct(natsLatencies, 0.99)):0.0}x");
        Console.WriteLine($"goal {clients} clients at full frame rate (min fps >= 95% of published): {(perClientFps[0] >= 0.95 * publishedFps ? "met" : "NOT met")}");

        await stop.CancelAsync();
        foreach (var s in sockets) s.Abort();
        await Task.WhenAll(loops);
        await baselineSub.DisposeAsync();
        await baselineLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return 0;
    }

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];

    private static async Task<int> PublishAsync(VideoPublisher video, double fps, TimeSpan duration, Func<bool, int> size)
    {
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed < duration)
        {
            var due = TimeSpan.FromSeconds(count / fps) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            // The size follows from whether the next frame will be a keyframe: every 30th, or the one after a request.
            await video.PublishAsync(size((video.LastFrameId % 30) == 0));
            count++;
        }
        return count;
    }

    private static async Task ReadAsync(ClientWebSocket socket, Receiver receiver, CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                    count += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close) return;
                if (count > 49 && buffer[0] == 0x01)
                {
                    var (id, at) = VideoPublisher.Stamp(buffer.AsSpan(0, count));
                    receiver.OnFrame(id, at);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }
}
