using System.Diagnostics;
using System.Text.Json;
using Platform.TestSupport;
using Platform.ViewerBench;

// Viewer bench: glass-to-glass latency at 720p30 in headless Chromium, from a frame's Capture-Ts to the moment the
// page has drawn it (WebCodecs decode output on the canvas), read from window.viewerStats.latencySamples().
// Baseline in the same run: a plain NATS subscriber's arrival latency for the same frames (the floor the browser
// path cannot beat); the ratio is the viewer path's cost (transport relay, WebSocket, decode, draw).
// Usage: ViewerBench [seconds=20] [--transport-process]  (default: the whole platform through the AppHost testing builder;
// --transport-process: only the built transport, as a child process, fed by VideoFeed)
var transportOnly = args.Contains("--transport-process");
var seconds = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } n && int.TryParse(n, out var s) ? s : 20;
const string stream = "main";

Console.WriteLine($"ViewerBench: glass-to-glass latency at 1280x720@30, {seconds} s, headless {Chromium.ExecutablePath}, {Environment.ProcessorCount} CPUs, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
var startClock = Stopwatch.StartNew();
await using IBenchPlatform platform = transportOnly ? await TransportProcessPlatform.StartAsync() : await AppHostPlatform.StartAsync(TimeSpan.FromSeconds(120));
Console.WriteLine($"Source: {platform.Description} (up in {startClock.Elapsed.TotalSeconds:0.0} s)");
await using var arrivals = await NatsArrivals.StartAsync(platform.Nats, stream);
await using var chromium = await Chromium.LaunchAsync();
await using var page = await ViewerPage.OpenAsync(chromium, platform.ViewerUrl, TimeSpan.FromSeconds(60));

// Measure from here: frames captured after warm-up (decoder configured, first keyframe through).
var fromUs = VideoFeed.UnixMicroseconds();
var clock = Stopwatch.StartNew();
await Task.Delay(TimeSpan.FromSeconds(seconds));
var untilUs = VideoFeed.UnixMicroseconds();
var elapsed = clock.Elapsed;

var json = await page.EvaluateAsync<string>("JSON.stringify({ samples: window.viewerStats.latencySamples(), dropped: window.viewerStats.framesDropped, errors: window.viewerStats.decodeErrors })");
using var result = JsonDocument.Parse(json);
var browser = new Dictionary<long, double>();
var drawn = new List<(double CaptureUs, double DisplayedUs)>();
foreach (var sample in result.RootElement.GetProperty("samples").EnumerateArray())
{
    var capture = sample.GetProperty("captureTsUs").GetDouble();
    if (capture < fromUs || capture > untilUs) continue;
    browser[(long)sample.GetProperty("frameId").GetDouble()] = (sample.GetProperty("displayedUs").GetDouble() - capture) / 1000.0;
    drawn.Add((capture, sample.GetProperty("displayedUs").GetDouble()));
}
// What the operator sees: each frame stays on screen until the next is drawn, getting older; its age just before
// it is replaced is the oldest picture of that interval (layer 1's VIDEO STALE judges this age).
drawn.Sort((a, b) => a.DisplayedUs.CompareTo(b.DisplayedUs));
var shownAge = drawn.Zip(drawn.Skip(1), (shown, next) => (next.DisplayedUs - shown.CaptureUs) / 1000.0).Order().ToList();
var nats = arrivals.Snapshot();
var common = browser.Keys.Where(nats.ContainsKey).ToList();
var published = nats.Count(kv => kv.Value >= 0 && common.Count > 0 && kv.Key >= common.Min() && kv.Key <= common.Max());

var browserSorted = common.Select(id => browser[id]).Order().ToList();
var natsSorted = common.Select(id => nats[id]).Order().ToList();
var viewerOnly = common.Select(id => browser[id] - nats[id]).Order().ToList();

Console.WriteLine();
Console.WriteLine($"{"path",-40} {"frames",7} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
Print("baseline: NATS subscriber arrival", natsSorted);
Print("browser: capture -> drawn on canvas", browserSorted);
Print("viewer path alone (browser - NATS)", viewerOnly);
Print("shown-frame age (oldest per interval)", shownAge);
Console.WriteLine();
var fps = browser.Count / elapsed.TotalSeconds;
Console.WriteLine($"delivered: {browser.Count} frames drawn in {elapsed.TotalSeconds:0.0} s = {fps:0.0} fps (of {published} published in the same span); " +
    $"decoder dropped {result.RootElement.GetProperty("dropped").GetInt32()}, errors {result.RootElement.GetProperty("errors").GetInt32()}");
var p50Ratio = Percentiles.Of(browserSorted, 50) / Percentiles.Of(natsSorted, 50);
Console.WriteLine($"ratio browser p50 / NATS p50: {p50Ratio:0.0}x");
var goalMet = Percentiles.Of(browserSorted, 50) < 50;
Console.WriteLine($"Goal: glass-to-glass p50 < 50 ms on loopback: {(goalMet ? "met" : "NOT met")} ({Percentiles.Of(browserSorted, 50):0.0} ms).");
var ageP99 = Percentiles.Of(shownAge, 99);
Console.WriteLine($"Goal: shown-frame age p99 < 150 ms: {(ageP99 < 150 ? "met" : "NOT met")} ({ageP99:0.0} ms; p50 {Percentiles.Of(shownAge, 50):0.0}, lag drops {await page.EvaluateAsync<int>("window.viewerStats.lagDrops")}).");
foreach (var line in page.Log.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))) Console.WriteLine(line);

static void Print(string name, List<double> sorted)
    => Console.WriteLine($"{name,-40} {sorted.Count,7} {Percentiles.Of(sorted, 50),8:0.0} {Percentiles.Of(sorted, 95),8:0.0} {(sorted.Count > 0 ? sorted[^1] : double.NaN),8:0.0}");
