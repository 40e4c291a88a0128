using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NATS.Client.Core;
using Platform.Contracts.Subjects;
using Platform.SafetyAuthority.Hosting;
using Platform.TestSupport;

namespace Platform.SafetyAuthority.Tests;

/// <summary>
/// The <c>safety.mode</c> gauge of the running authority (its worker, state and JetStream latch on a real nats-server)
/// follows operator commands and safety events.
/// </summary>
public sealed class SafetyModeGaugeTests
{
    [Fact]
    public async Task The_gauge_reports_the_current_mode_as_0_armed_1_hold_2_estop()
    {
        await using var server = await NatsServer.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:nats"] = server.Url });
        builder.AddNatsClient("nats");
        builder.AddSafetyAuthority();
        using var host = builder.Build();
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();

        var readings = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == "safety.mode") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => readings.Add(value));
        listener.Start();
        int? Mode()
        {
            readings.Clear();
            listener.RecordObservableInstruments();
            return readings.Count == 0 ? null : readings[^1];
        }

        await host.StartAsync();
        await using var client = new NatsConnection(new NatsOpts { Url = server.Url });
        // Observed once the latch has been read back.
        await Eventually.WaitAsync(() => Mode() == (int)SafetyMode.Armed, "the gauge at 0 (ARMED) once the authority is up", TimeSpan.FromSeconds(20));

        await client.PublishAsync(SubjectNames.Command(CommandActions.Estop), Command(CommandActions.Estop, 1));
        await Eventually.WaitAsync(() => Mode() == (int)SafetyMode.Estop, "the gauge at 2 (ESTOP) after an estop");

        await client.PublishAsync(SubjectNames.Command(CommandActions.EstopClear), Command(CommandActions.EstopClear, 2));
        await Eventually.WaitAsync(() => Mode() == (int)SafetyMode.Armed, "the gauge at 0 (ARMED) after estop_clear");

        var stale = new SafetyEventMessage(SafetyEventKind.VideoGate, SafetyMode.Hold, 1200, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "no video");
        await client.PublishAsync(SubjectNames.SafetyEvent("transport"), JsonSerializer.SerializeToUtf8Bytes(stale, SubjectsJsonContext.Default.SafetyEventMessage));
        await Eventually.WaitAsync(() => Mode() == (int)SafetyMode.Hold, "the gauge at 1 (HOLD) while the transport's video gate holds");
        await host.StopAsync();
    }

    private static byte[] Command(string action, long cmdSeq) => JsonSerializer.SerializeToUtf8Bytes(
        new CommandEnvelope(action, cmdSeq, JsonSerializer.SerializeToElement(new OperatorData("test", "tester"), SubjectsJsonContext.Default.OperatorData)),
        SubjectsJsonContext.Default.CommandEnvelope);
}
