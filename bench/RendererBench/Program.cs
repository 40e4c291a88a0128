// Renderer cost per frame: the default scenario (robot driving a circle, trails, HUD) at 720p and 1080p, against the
// floor any renderer pays, measured in the same run: clearing one I420 frame and copying it out.
// Goal: under 4 ms per 720p frame (issue 6). Usage: dotnet run -c Release --project bench/RendererBench [frames, default 300]
using System.Diagnostics;
using System.Globalization;
using Platform.Contracts.Subjects;
using Platform.SimRunner.Engine;
using Platform.SimRunner.Rendering;
using Platform.SimRunner.Safety;
using Platform.SimRunner.Simulation;

const double GoalMs = 4.0;
var frames = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
var scenario = ScenarioLoader.LoadFile(ScenarioLoader.DefaultPath);
// On a shared machine the p99s mostly measure preemption: the load average says how shared it was.
var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
Console.WriteLine($"RendererBench: scenario '{scenario.Name}', {frames} frames per size, {Environment.ProcessorCount} cores, load average {load}");
Console.WriteLine($"{"size",-10} {"render p50",11} {"p99",8} {"floor p50",10} {"p99",8} {"render/floor",13} {"p50/4 ms goal",14} {"p99/4 ms goal",14}");
foreach (var (width, height) in new[] { (1280, 720), (1920, 1080) })
{
    var render = MeasureRender(scenario, width, height, frames);
    var floor = MeasureFloor(width, height, frames);
    var goal = height == 720 ? $"{render.P50 / GoalMs,14:0.00} {render.P99 / GoalMs,14:0.00}" : $"{"-",14} {"-",14}";
    Console.WriteLine($"{$"{width}x{height}",-10} {render.P50,9:0.000}ms {render.P99,6:0.000}ms {floor.P50,8:0.000}ms {floor.P99,6:0.000}ms {render.P50 / floor.P50,13:0.00} {goal}");
}

// What the 240 Hz sim loop pays per tick so the renderer sees a consistent scene.
var snapshotEngine = new SimEngine(scenario, new SimEngineOptions(), new Layer3Options());
var source = new SceneSnapshotSource();
const int Captures = 200_000;
for (var i = 0; i < 1000; i++) source.Capture(snapshotEngine);
var captureClock = Stopwatch.StartNew();
for (var i = 0; i < Captures; i++) source.Capture(snapshotEngine);
var captureUs = captureClock.Elapsed.TotalMicroseconds / Captures;
Console.WriteLine($"scene snapshot on the sim thread: {captureUs:0.000} us per tick ({captureUs / (1e6 / 240):P3} of a 240 Hz tick)");

static (double P50, double P99) MeasureRender(ScenarioDefinition scenario, int width, int height, int frames)
{
    var engine = new SimEngine(scenario, new SimEngineOptions(), new Layer3Options());
    var renderer = new SceneRenderer(scenario, width, height);
    var canvas = new I420Canvas(width, height);
    var robot = engine.World.Robots[0];
    var times = new double[frames];
    var modes = new[] { SafetyMode.Armed, SafetyMode.Hold, SafetyMode.Estop };
    for (var i = -30; i < frames; i++) // 30 warm-up frames
    {
        // The robot drives a 2 m circle (8 physics steps per frame at 240 Hz / 30 fps), so trails fill up and change.
        var angle = i * 0.05;
        robot.X = 2 * Math.Cos(angle);
        robot.Y = 2 * Math.Sin(angle);
        robot.Yaw = angle + Math.PI / 2;
        for (var s = 0; s < 8; s++) engine.World.Step();
        var scene = SceneSnapshot.Capture(engine) with { Mode = modes[Math.Abs(i / 60) % 3] };
        var started = Stopwatch.GetTimestamp();
        renderer.Render(canvas, scene, i + 31);
        if (i >= 0) times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
    return Percentiles(times);
}

static (double P50, double P99) MeasureFloor(int width, int height, int frames)
{
    var canvas = new I420Canvas(width, height);
    var target = new byte[canvas.Length];
    var colour = YuvColor.FromRgb(46, 52, 61);
    var times = new double[frames];
    for (var i = -30; i < frames; i++)
    {
        var started = Stopwatch.GetTimestamp();
        canvas.Fill(colour);
        canvas.Data.CopyTo(target);
        if (i >= 0) times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
    return Percentiles(times);
}

static (double P50, double P99) Percentiles(double[] times)
{
    Array.Sort(times);
    return (times[times.Length / 2], times[Math.Min(times.Length - 1, (int)Math.Ceiling(times.Length * 0.99) - 1)]);
}
