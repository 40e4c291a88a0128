using Platform.CostBench;

// Cost bench: what the whole platform costs in CPU with no viewer, against the floor measured in the same run
// (libx264 ultrafast + zerolatency alone on a generated pattern of the same size and rate, shared/reference/cpu-profile.md).
// Usage: CostBench [seconds=30] [warm-up seconds=20] [--720p-only] [--service-logs]
var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(int.Parse).ToList();
var window = TimeSpan.FromSeconds(numbers.ElementAtOrDefault(0) is > 0 and var w ? w : 30);
var warmUp = TimeSpan.FromSeconds(numbers.ElementAtOrDefault(1) is > 0 and var u ? u : 20);
(int Width, int Height, double Goal)[] sizes = args.Contains("--720p-only") ? [(1280, 720, 2.0)] : [(1280, 720, 2.0), (1920, 1080, 1.6)];
const int fps = 30;

Console.WriteLine($"CostBench: the whole platform (Release services through the AppHost testing builder), no viewer, {fps} fps, " +
    $"{window.TotalSeconds:0} s window after {warmUp.TotalSeconds:0} s warm-up, {Environment.ProcessorCount} CPUs, load {Load()}");
foreach (var (width, height, goal) in sizes)
{
    var floor = await Floor.MeasureAsync(width, height, fps, (int)window.TotalSeconds) * 100;
    var loadBefore = Load();
    var cost = await PlatformRun.MeasureAsync(width, height, warmUp, window, args.Contains("--service-logs"));
    Console.WriteLine();
    Console.WriteLine($"{width}x{height}@{fps}: live video published at {cost.LiveFps:0.0} fps during the window; load {loadBefore} before, {Load()} after");
    Console.WriteLine($"{"process",-48} {"% of a core",12}");
    foreach (var p in cost.Processes) Console.WriteLine($"{p.Name,-48} {p.PercentOfCore,12:0.0}");
    var services = cost.Processes.Where(p => p.IsService).Sum(p => p.PercentOfCore);
    var all = cost.Processes.Sum(p => p.PercentOfCore);
    Console.WriteLine($"{"services + nats-server",-48} {services,12:0.0}");
    Console.WriteLine($"{"everything (with DCP and the AppHost)",-48} {all,12:0.0}");
    Console.WriteLine($"{"baseline: floor (ffmpeg libx264 ultrafast alone)",-48} {floor,12:0.0}");
    Console.WriteLine($"ratio services / floor: {services / floor:0.00}x (goal ≤ {goal:0.0}x: {(services / floor <= goal ? "met" : "NOT met")}); everything / floor: {all / floor:0.00}x");
}

static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
