using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Subjects;
using Platform.Nats;
using Platform.Transport.Commands;

namespace Platform.Transport.Safety;

/// <summary>
/// Carries out the gate's transitions on NATS (the latch zero, the estop, <c>telemetry.safety.video_gate</c> and
/// <c>safety.event.transport</c>) and runs the escalation timer.
/// </summary>
public sealed partial class VideoGateService(
    VideoGate gate,
    CommandPublisher commands,
    CommandSequence sequence,
    INatsConnection nats,
    IOptions<TransportOptions> options,
    ILogger<VideoGateService> logger,
    TimeProvider? time = null) : BackgroundService
{
    private static readonly JsonElement ZeroVelocity = JsonSerializer.SerializeToElement(new CmdVelData(), SubjectsJsonContext.Default.CmdVelData);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public VideoGate Gate => gate;

    /// <summary>Publishes what a transition asks for; never throws (a failed publish is logged: the sim's own layer still stands).</summary>
    public async ValueTask ApplyAsync(VideoGateTransition transition, CancellationToken cancellationToken = default)
    {
        try
        {
            if (transition.SendLatchZero)
                await commands.PublishAsync(CommandActions.SetCmdVel, sequence.Next(), ZeroVelocity, null, CommandPublisher.TransportSource, null, cancellationToken).ConfigureAwait(false);
            if (transition.SendEstop)
            {
                var data = JsonSerializer.SerializeToElement(new OperatorData($"video_gate: no video on {gate.Stream} for {transition.StaleMs} ms", CommandPublisher.TransportSource), SubjectsJsonContext.Default.OperatorData);
                await commands.PublishAsync(CommandActions.Estop, sequence.Next(), data, null, CommandPublisher.TransportSource, null, cancellationToken).ConfigureAwait(false);
            }
            var state = new VideoGateMessage(transition.Gated, transition.Mode, transition.StaleMs);
            await nats.PublishAsync(SubjectNames.VideoGate, JsonSerializer.SerializeToUtf8Bytes(state, SubjectsJsonContext.Default.VideoGateMessage), cancellationToken: cancellationToken).ConfigureAwait(false);
            var reason = transition.Gated ? $"no video on {gate.Stream} for {transition.StaleMs} ms" : $"video on {gate.Stream} resumed";
            var e = new SafetyEventMessage(SafetyEventKind.VideoGate, transition.Mode, transition.StaleMs, _time.GetUtcNow().ToUnixTimeMilliseconds(), reason);
            await nats.PublishAsync(SubjectNames.SafetyEvent(CommandPublisher.TransportSource), JsonSerializer.SerializeToUtf8Bytes(e, SubjectsJsonContext.Default.SafetyEventMessage), cancellationToken: cancellationToken).ConfigureAwait(false);
            LogTransition(transition.Mode.ToWire(), transition.StaleMs, transition.SendLatchZero, transition.SendEstop);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(ex, transition.Mode.ToWire());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(10, options.Value.VideoGate.EvaluateIntervalMs)), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (gate.Evaluate() is { } transition) await ApplyAsync(transition, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video gate {Mode}: newest frame {StaleMs} ms old (latch zero sent: {LatchZero}, estop sent: {Estop})")]
    private partial void LogTransition(string mode, long staleMs, bool latchZero, bool estop);

    [LoggerMessage(Level = LogLevel.Error, Message = "Video gate {Mode}: publishing its commands or events failed (is NATS reachable?); the sim's layer 3 still stops a robot without commands")]
    private partial void LogPublishFailed(Exception ex, string mode);
}
