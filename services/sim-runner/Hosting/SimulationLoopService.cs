using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using Platform.SimRunner.Engine;
using Platform.SimRunner.Rendering;

namespace Platform.SimRunner.Hosting;

/// <summary>
/// Drives the <see cref="SimEngine"/> in real time at the physics rate on a dedicated thread, hands each tick's acks and
/// safety events to the outbox (after the engine acted), and a state record at the telemetry rate; when video is on,
/// the scene the renderer draws is captured after every tick.
/// </summary>
public sealed partial class SimulationLoopService(
    SimEngine engine, SimOutbox outbox, SimRunnerMetrics metrics, ILogger<SimulationLoopService> logger, SceneSnapshotSource? scenes = null)
    : BackgroundService
{
    private readonly EngineOutput _output = new();
    private readonly TelemetryDecimator _decimator = new(engine.Options.PhysicsHz, engine.Options.TelemetryHz);
    private long _lastTickTimestamp;

    /// <summary>Time since the last tick ran; the readiness check watches it.</summary>
    public TimeSpan SinceLastTick => _lastTickTimestamp == 0 ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastTickTimestamp));

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(engine.World.Scenario.Name, engine.World.Seed, engine.Options.PhysicsHz, engine.Options.TelemetryHz);
        return new RealTimeTicker(engine.Options.PhysicsHz).RunOnDedicatedThread(OnTick, stoppingToken);
    }

    private void OnTick(long tick, TimeSpan lateness)
    {
        metrics.TickStarted(lateness);
        _output.Clear();
        try
        {
            engine.Tick(_output);
        }
        catch (Exception ex)
        {
            // A fault in one tick must not stop the loop that keeps the robot safe.
            LogTickFailed(ex, engine.Ticks);
        }
        scenes?.Capture(engine);
        foreach (var ack in _output.Acks)
        {
            metrics.Answered(ack);
            outbox.Write(new AckOutput(ack));
        }
        foreach (var e in _output.Events)
        {
            metrics.SafetyEvent(e);
            LogSafetyEvent(e.Kind.ToWire(), e.Mode.ToWire(), e.StaleMs, engine.Safety.Reason);
            outbox.Write(new SafetyEventOutput(e, engine.World.StepCount, engine.World.Time, engine.Safety.Mode));
        }
        if (_decimator.ShouldPublish(engine.Ticks)) outbox.Write(new StateOutput(engine.Snapshot()));
        Interlocked.Exchange(ref _lastTickTimestamp, Stopwatch.GetTimestamp());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulation loop starting: scenario {Scenario}, seed {Seed}, physics {PhysicsHz} Hz, telemetry {TelemetryHz} Hz")]
    private partial void LogStarting(string scenario, int seed, int physicsHz, int telemetryHz);

    [LoggerMessage(Level = LogLevel.Error, Message = "Simulation tick {Tick} failed; the loop goes on")]
    private partial void LogTickFailed(Exception ex, long tick);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Layer-3 safety event {Kind} → {Mode} (stale {StaleMs} ms): {Reason}")]
    private partial void LogSafetyEvent(string kind, string mode, long staleMs, string reason);
}
