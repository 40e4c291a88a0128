using System.Diagnostics;
using Platform.Contracts.Subjects;
using Platform.SimRunner.Commands;
using Platform.SimRunner.Engine;
using Platform.SimRunner.Hosting;
using Platform.SimRunner.Safety;
using Platform.SimRunner.Simulation;

namespace Platform.SafetyBench;

/// <summary>
/// How late each layer-3 reaction is against its deadline, in wall-clock time, with engines ticked by the real-time
/// ticker exactly as the service runs them. Each engine is one trial: its trigger (last set_cmd_vel, last safety.state,
/// or an estop) is posted from another thread at a random moment, stamped when posted; the reaction is stamped at the
/// end of the tick that shows it (velocity halving in HOLD, velocity 0 in ESTOP), which is when the sim publishes it.
/// </summary>
internal sealed class ReactionBench(int physicsHz)
{
    private enum Kind { CmdTtl, AuthoritySilence, Estop }

    private sealed class Trial(Kind kind, SimEngine engine, long triggerAfterTs)
    {
        public Kind Kind { get; } = kind;
        public SimEngine Engine { get; } = engine;
        public long TriggerAfterTs { get; } = triggerAfterTs;
        public long TriggeredAt { get; set; }
        public long ReactedAt { get; set; }
        public long Seq { get; set; }
        public long StateId { get; set; }
    }

    public sealed record Result(string Name, double DeadlineMs, List<double> LatenessMs, List<double> SchedulerLatenessMs);

    public async Task<IReadOnlyList<Result>> RunAsync(int trialsPerKind, int batches)
    {
        var results = new Dictionary<Kind, List<double>> { [Kind.CmdTtl] = [], [Kind.AuthoritySilence] = [], [Kind.Estop] = [] };
        var scheduler = new List<double>();
        var options = new Layer3Options();
        for (var b = 0; b < batches; b++)
        {
            var (lateness, sched) = await RunBatchAsync(trialsPerKind, options, seed: b + 1);
            foreach (var (kind, ms) in lateness) results[kind].Add(ms);
            scheduler.AddRange(sched);
        }
        return
        [
            new("TTL → HOLD", options.CmdTtlHoldMs, results[Kind.CmdTtl], scheduler),
            new("no authority → HOLD", options.AuthorityTimeoutMs, results[Kind.AuthoritySilence], scheduler),
            new("estop → velocity 0", 0, results[Kind.Estop], scheduler),
        ];
    }

    private async Task<(List<(Kind, double)>, List<double>)> RunBatchAsync(int perKind, Layer3Options options, int seed)
    {
        var random = new Random(seed);
        var scenario = new ScenarioDefinition("bench", 1, new Bounds(-100, -100, 100, 100), [], [new RobotDefinition("robot0", 0, 0)]);
        var start = Stopwatch.GetTimestamp();
        long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);
        var trials = new List<Trial>();
        foreach (var kind in Enum.GetValues<Kind>())
        {
            for (var i = 0; i < perKind; i++)
            {
                var engine = new SimEngine(scenario, new SimEngineOptions { PhysicsHz = physicsHz }, options);
                trials.Add(new Trial(kind, engine, start + Ms(400 + random.NextDouble() * 400)));
            }
        }

        var ticker = new RealTimeTicker(physicsHz);
        var output = new EngineOutput();
        var schedulerLateness = new List<double>();
        using var cts = new CancellationTokenSource();
        var tickTask = ticker.RunOnDedicatedThread((_, late) =>
        {
            schedulerLateness.Add(late.TotalMilliseconds);
            foreach (var t in trials)
            {
                output.Clear();
                t.Engine.Tick(output);
                if (t.ReactedAt != 0 || t.TriggeredAt == 0) continue;
                var robot = t.Engine.World.Robots[0];
                var reacted = t.Kind switch
                {
                    Kind.Estop => robot.MaxSpeedComponent == 0,
                    _ => t.Engine.Safety.Mode == SafetyMode.Hold,
                };
                if (reacted) t.ReactedAt = Stopwatch.GetTimestamp();
            }
        }, cts.Token);

        await Task.Factory.StartNew(() => Drive(trials, random, start), TaskCreationOptions.LongRunning);
        cts.Cancel();
        await tickTask;
        Console.WriteLine($"  batch {seed}: {schedulerLateness.Count} ticks in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.000} s, skipped {ticker.SkippedTicks}");

        var deadline = new Dictionary<Kind, double> { [Kind.CmdTtl] = options.CmdTtlHoldMs, [Kind.AuthoritySilence] = options.AuthorityTimeoutMs, [Kind.Estop] = 0 };
        var lateness = trials.Select(t => (t.Kind, Stopwatch.GetElapsedTime(t.TriggeredAt, t.ReactedAt).TotalMilliseconds - deadline[t.Kind])).ToList();
        return (lateness, schedulerLateness);
    }

    /// <summary>
    /// The operator and the authority, on their own thread: set_cmd_vel every 40–50 ms and safety.state every 250 ms until
    /// each trial's trigger (its last heartbeat, or an estop), stamped as it is posted. Thread.Sleep with fractional
    /// milliseconds puts triggers at random phases of the tick grid, as messages from the network arrive.
    /// </summary>
    private static void Drive(List<Trial> trials, Random random, long start)
    {
        static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);
        var lastAuthority = 0L;
        while (trials.Any(t => t.ReactedAt == 0))
        {
            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(start, now).TotalSeconds > 10) throw new TimeoutException("a safety reaction never came");
            var authorityDue = now - lastAuthority > Ms(250);
            if (authorityDue) lastAuthority = now;
            foreach (var t in trials)
            {
                if (t.ReactedAt != 0) continue;
                var triggered = t.TriggeredAt != 0;
                var triggerNow = !triggered && now >= t.TriggerAfterTs;
                var sendsCmdVel = !(t.Kind == Kind.CmdTtl && triggered);
                var sendsAuthority = !(t.Kind == Kind.AuthoritySilence && triggered) && (authorityDue || (triggerNow && t.Kind == Kind.AuthoritySilence));
                if (triggerNow) t.TriggeredAt = Stopwatch.GetTimestamp();
                if (sendsAuthority) t.Engine.Post(new SafetyStateMessage(++t.StateId, SafetyMode.Armed, "ok", 0, []));
                if (sendsCmdVel) t.Engine.Post(new SetCmdVelCommand(++t.Seq, "bench", null, 1.0, 0, 0, null));
                if (triggerNow && t.Kind == Kind.Estop) t.Engine.Post(new EstopCommand(++t.Seq, "bench", "bench"));
            }
            Thread.Sleep(TimeSpan.FromMilliseconds(50 - random.NextDouble() * 10));
        }
    }
}
