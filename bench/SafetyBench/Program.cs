using Platform.SafetyBench;
using Platform.TestSupport;

// Safety bench: layer-3 reaction lateness against each deadline, and the sim loop's cost per tick.
// Baselines measured in the same run: the tick period (1/physics Hz, the goal is lateness within one tick) and the
// real-time ticker's own start lateness (the floor no reaction can beat).
const int physicsHz = 240;
var tickMs = 1000.0 / physicsHz;
var trials = args.Length > 0 && int.TryParse(args[0], out var t) ? t : 100;
var batches = args.Length > 1 && int.TryParse(args[1], out var b) ? b : 3;

Console.WriteLine($"SafetyBench: physics {physicsHz} Hz (tick {tickMs:0.000} ms), {trials} trials × {batches} batches per reaction, {Environment.ProcessorCount} CPUs");
Console.WriteLine();
Console.WriteLine("Reaction lateness (wall clock, from the trigger being posted to the end of the tick that shows the reaction):");
var results = await new ReactionBench(physicsHz).RunAsync(trials, batches);
Console.WriteLine($"{"reaction",-22} {"deadline",9} {"n",5} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"p50 ticks",10} {"p99 ticks",10} {"p99/tick",9}");
foreach (var r in results)
{
    var sorted = r.LatenessMs.Order().ToList();
    var p50 = Percentiles.Of(sorted, 50);
    var p99 = Percentiles.Of(sorted, 99);
    Console.WriteLine($"{r.Name,-22} {r.DeadlineMs,7:0} ms {sorted.Count,5} {p50,8:0.000} {p99,8:0.000} {sorted[^1],8:0.000} {p50 / tickMs,10:0.00} {p99 / tickMs,10:0.00} {p99 / tickMs,8:0.00}x");
}
var sched = results[0].SchedulerLatenessMs.Order().ToList();
Console.WriteLine($"{"baseline: tick start",-22} {"",9} {sched.Count,5} {Percentiles.Of(sched, 50),8:0.000} {Percentiles.Of(sched, 99),8:0.000} {sched[^1],8:0.000} {Percentiles.Of(sched, 50) / tickMs,10:0.00} {Percentiles.Of(sched, 99) / tickMs,10:0.00}");
Console.WriteLine("Goal: every reaction within one physics tick of its deadline (p99/tick ≤ 1.00x).");
Console.WriteLine();

Console.WriteLine("Sim loop cost per tick (commands, safety, physics + collisions, 60 Hz snapshot), against the tick budget:");
Console.WriteLine($"{"robots",7} {"µs/tick",10} {"budget share",13} {"vs 1 robot",11}");
double? one = null;
foreach (var robots in new[] { 1, 10, 100 })
{
    var us = TickCostBench.MeasureMicroseconds(robots, physicsHz, TimeSpan.FromSeconds(2));
    one ??= us;
    Console.WriteLine($"{robots,7} {us,10:0.00} {us / (tickMs * 1000),12:0.0000}x {us / one.Value,10:0.0}x");
}
