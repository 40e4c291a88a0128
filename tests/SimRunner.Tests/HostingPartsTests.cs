using Platform.Contracts.Subjects;
using Platform.SimRunner.Hosting;

namespace Platform.SimRunner.Tests;

public sealed class HostingPartsTests
{
    private static SimStateMessage State(long frame) => new(frame, frame / 240.0, SafetyMode.Armed, false, ["sim.step"], [frame]);

    [Fact]
    public async Task TheOutboxNeverBlocksDropsTheOldestAndKeepsTheLatestState()
    {
        var outbox = new SimOutbox(capacity: 2);
        var next = outbox.NextStateAsync(CancellationToken.None);
        outbox.Write(new AckOutput(new CommandAck("pause", 1, AckStatus.Ok)));
        for (var f = 1; f <= 4; f++) outbox.Write(new StateOutput(State(f)));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(4, outbox.Latest!.Frame);
        // NATS queue: ack + 4 states into 2 slots (3 dropped); log queue: 4 states, no acks (2 dropped).
        Assert.Equal(5, outbox.Dropped);
        Assert.True(outbox.ForNats.TryRead(out var a) && a is StateOutput { State.Frame: 3 });
        Assert.True(outbox.ForLog.TryRead(out var b) && b is StateOutput { State.Frame: 3 });
    }

    [Fact]
    public async Task TheTickerNumbersTicksInOrderAndSkipsAfterALongStall()
    {
        var ticker = new RealTimeTicker(240, maxCatchUpTicks: 4);
        var ticks = new List<long>();
        using var cts = new CancellationTokenSource();
        var run = ticker.RunOnDedicatedThread((n, _) =>
        {
            ticks.Add(n);
            if (n == 5) Thread.Sleep(200); // a stall of ~48 ticks, far past the 4-tick catch-up window
            if (n == 20) cts.Cancel();
        }, cts.Token);
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), ticks);
        Assert.True(ticker.SkippedTicks >= 30, $"skipped {ticker.SkippedTicks} ticks");
    }

    [Fact]
    public async Task TheTickerSurfacesACallbackFailure()
    {
        var ticker = new RealTimeTicker(240);
        var run = ticker.RunOnDedicatedThread((_, _) => throw new InvalidOperationException("boom"), CancellationToken.None);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("boom", ex.Message);
    }
}
