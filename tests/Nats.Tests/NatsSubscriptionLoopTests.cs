using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;
using Platform.TestSupport;

namespace Platform.Nats.Tests;

/// <summary>The services' one subscription idiom against a real nats-server.</summary>
public sealed class NatsSubscriptionLoopTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Is_ready_once_subscribed_and_a_failing_handler_does_not_end_the_subscription()
    {
        await using var nats = fixture.Connect();
        var logger = new CollectingLogger<NatsSubscriptionLoop>();
        using var loop = new NatsSubscriptionLoop(nats, logger);
        using var stop = new CancellationTokenSource();
        var handled = Channel.CreateUnbounded<string>();
        var running = loop.RunAsync("loop.ready", msg =>
        {
            var text = System.Text.Encoding.UTF8.GetString(msg.Data!);
            if (text == "boom") throw new InvalidOperationException("handler failed");
            handled.Writer.TryWrite(text);
            return ValueTask.CompletedTask;
        }, stop.Token);
        Assert.Equal(["loop.ready"], loop.Down); // expected from the call on, down until subscribed

        await Eventually.WaitAsync(() => loop.Down.Count == 0, "the subscription in place", Deadline);
        await nats.PublishAsync("loop.ready", "boom"u8.ToArray());
        await nats.PublishAsync("loop.ready", "after"u8.ToArray());
        using var wait = new CancellationTokenSource(Deadline);
        Assert.Equal("after", await handled.Reader.ReadAsync(wait.Token));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("loop.ready", StringComparison.Ordinal));

        await stop.CancelAsync();
        await running.WaitAsync(Deadline);
        Assert.Empty(loop.Down); // a stopped subscription is no longer expected
    }

    [Fact]
    public async Task A_subscription_that_fails_is_retried_with_backoff_and_stays_not_ready()
    {
        await using var nats = fixture.Connect();
        var logger = new CollectingLogger<NatsSubscriptionLoop>();
        using var loop = new NatsSubscriptionLoop(nats, logger);
        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync("bad subject", _ => ValueTask.CompletedTask, stop.Token);

        await Eventually.WaitAsync(() => logger.Entries.Count(e => e.Message.Contains("Subscription to bad subject failed", StringComparison.Ordinal)) >= 3, "three failed tries", Deadline);
        var delays = logger.Entries.Where(e => e.Message.Contains("failed", StringComparison.Ordinal)).Select(e => e.Message).Take(3).ToList();
        Assert.Contains("in 250 ms", delays[0], StringComparison.Ordinal);
        Assert.Contains("in 500 ms", delays[1], StringComparison.Ordinal);
        Assert.Contains("in 1000 ms", delays[2], StringComparison.Ordinal);
        Assert.Equal(["bad subject"], loop.Down);
        await stop.CancelAsync();
        await running.WaitAsync(Deadline);
    }

    [Theory]
    [InlineData(BoundedChannelFullMode.DropOldest)]
    [InlineData(BoundedChannelFullMode.DropNewest)]
    public async Task A_slow_handler_never_blocks_the_connection_and_drops_are_logged_once_with_their_count(BoundedChannelFullMode mode)
    {
        await using var nats = fixture.Connect();
        var logger = new CollectingLogger<NatsSubscriptionLoop>();
        using var loop = new NatsSubscriptionLoop(nats, logger);
        using var stop = new CancellationTokenSource();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new List<int>();
        var subject = $"loop.slow.{mode}";
        var running = loop.RunAsync<byte[]>(subject, async msg =>
        {
            await release.Task;
            lock (handled) handled.Add(BitConverter.ToInt32(msg.Data!));
        }, new NatsSubscriptionOptions { Capacity = 8, FullMode = mode }, null, stop.Token);
        await Eventually.WaitAsync(() => loop.Down.Count == 0, "the subscription in place", Deadline);

        // 200 messages against a blocked handler: the connection still answers pings (its read loop is not stalled).
        for (var i = 0; i < 200; i++) await nats.PublishAsync(subject, BitConverter.GetBytes(i));
        await nats.PingAsync().AsTask().WaitAsync(Deadline);
        await Eventually.WaitAsync(() => logger.Entries.Any(e => e.Message.StartsWith("Dropped", StringComparison.Ordinal)), "a drop report", Deadline);
        release.SetResult();
        await Eventually.WaitAsync(() => { lock (handled) return handled.Count >= 8; }, "the queued messages handled", Deadline);

        var reports = logger.Entries.Where(e => e.Message.StartsWith("Dropped", StringComparison.Ordinal)).ToList();
        Assert.Single(reports); // one report per interval, not one line per message
        lock (handled)
        {
            if (mode == BoundedChannelFullMode.DropOldest)
            {
                Assert.Equal(LogLevel.Warning, reports[0].Level);
                Assert.Equal(199, handled[^1]); // the newest survived
            }
            else
            {
                Assert.Equal(LogLevel.Error, reports[0].Level);
                Assert.Equal(0, handled[0]); // the first ones survived, newer ones were refused (and said so)
            }
        }
        await stop.CancelAsync();
        await running.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Wait_mode_is_refused_because_it_would_stall_the_connection()
    {
        await using var nats = fixture.Connect();
        using var loop = new NatsSubscriptionLoop(nats, new CollectingLogger<NatsSubscriptionLoop>());
        await Assert.ThrowsAsync<ArgumentException>(() => loop.RunAsync<byte[]>("loop.wait", _ => ValueTask.CompletedTask,
            new NatsSubscriptionOptions { FullMode = BoundedChannelFullMode.Wait }, null, CancellationToken.None));
    }
}
