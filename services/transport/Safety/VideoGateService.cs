using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Subjects;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;
using Platform.Transport.Commands;

namespace Platform.Transport.Safety;

/// <summary>
/// Carries out the gate's transitions on NATS (the latch zero, the estop, <c>telemetry.safety.video_gate</c> and
/// <c>safety.event.transport</c>) and runs the escalation timer. It also reads <c>safety.state</c>: when the authority
/// shows the gate otherwise than it is (it restarted with no gates, or missed an event), the gate's event is said
/// again, at most once a second.
/// </summary>
public sealed partial class VideoGateService(
    VideoGate gate,
    CommandPublisher commands,
    CommandSequence sequence,
    INatsConnection nats,
    NatsSubscriptionLoop subscriptions,
    IOptions<TransportOptions> options,
    ILogger<VideoGateService> logger,
    TimeProvider? time = null) : BackgroundService
{
    /// <summary>The authority publishes at 2 Hz: one of its states may still predate the event it is processing.</summary>
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(1);

    private static readonly JsonElement ZeroVelocity = JsonSerializer.SerializeToElement(new CmdVelData(), SubjectsJsonContext.Default.CmdVelData);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _lastEventAt;
    private volatile bool _authorityDisagrees;

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
            await PublishEventAsync(transition.Mode, transition.StaleMs, reason, cancellationToken).ConfigureAwait(false);
            LogTransition(transition.Mode.ToWire(), transition.StaleMs, transition.SendLatchZero, transition.SendEstop);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(ex, transition.Mode.ToWire());
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        RunTimerAsync(stoppingToken),
        subscriptions.RunAsync(SubjectNames.SafetyState, OnAuthorityState, stoppingToken));

    private async Task RunTimerAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(10, options.Value.VideoGate.EvaluateIntervalMs)), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (gate.Evaluate() is { } transition) await ApplyAsync(transition, stoppingToken).ConfigureAwait(false);
                else if (_authorityDisagrees && _time.GetElapsedTime(Interlocked.Read(ref _lastEventAt)) >= ResendAfter) await ResendAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private ValueTask OnAuthorityState(NatsMsg<byte[]> msg)
    {
        try
        {
            if (JsonSerializer.Deserialize(msg.Data ?? [], SubjectsJsonContext.Default.SafetyStateMessage) is { } state)
                _authorityDisagrees = !state.ShowsGate(CommandPublisher.TransportSource, SafetyEventKind.VideoGate, gate.Mode);
        }
        catch (JsonException)
        {
            // Not the authority's to judge by: the sim and the viewer report unreadable states.
        }
        return ValueTask.CompletedTask;
    }

    private async Task ResendAsync(CancellationToken cancellationToken)
    {
        var mode = gate.Mode;
        var staleMs = mode == SafetyMode.Armed ? 0 : gate.StaleMs;
        try
        {
            await PublishEventAsync(mode, staleMs, "said again: the authority's state disagreed", cancellationToken).ConfigureAwait(false);
            LogResent(mode.ToWire());
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(ex, mode.ToWire());
        }
    }

    private async Task PublishEventAsync(SafetyMode mode, long staleMs, string reason, CancellationToken cancellationToken)
    {
        var e = new SafetyEventMessage(SafetyEventKind.VideoGate, mode, staleMs, _time.GetUtcNow().ToUnixTimeMilliseconds(), reason);
        Interlocked.Exchange(ref _lastEventAt, _time.GetTimestamp());
        _authorityDisagrees = false; // the authority's next states may predate this event
        await nats.PublishAsync(SubjectNames.SafetyEvent(CommandPublisher.TransportSource), JsonSerializer.SerializeToUtf8Bytes(e, SubjectsJsonContext.Default.SafetyEventMessage), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video gate {Mode} said again: the authority's safety.state showed it otherwise")]
    private partial void LogResent(string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video gate {Mode}: newest frame {StaleMs} ms old (latch zero sent: {LatchZero}, estop sent: {Estop})")]
    private partial void LogTransition(string mode, long staleMs, bool latchZero, bool estop);

    [LoggerMessage(Level = LogLevel.Error, Message = "Video gate {Mode}: publishing its commands or events failed (is NATS reachable?); the sim's layer 3 still stops a robot without commands")]
    private partial void LogPublishFailed(Exception ex, string mode);
}
