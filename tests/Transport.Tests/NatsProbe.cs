using NATS.Client.Core;

namespace Platform.Transport.Tests;

/// <summary>
/// Records every message on a subject pattern (subject, headers, payload) from a real NATS subscription, with its
/// arrival time (Stopwatch ticks).
/// </summary>
public sealed class NatsProbe : IAsyncDisposable
{
    private readonly INatsSub<byte[]> _sub;
    private readonly List<NatsMsg<byte[]>> _messages = [];
    private readonly List<long> _arrivals = [];
    private readonly Lock _lock = new();
    private readonly Task _loop;

    private NatsProbe(INatsSub<byte[]> sub)
    {
        _sub = sub;
        _loop = Task.Run(async () =>
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync())
            {
                var at = System.Diagnostics.Stopwatch.GetTimestamp();
                lock (_lock)
                {
                    _messages.Add(msg);
                    _arrivals.Add(at);
                }
            }
        });
    }

    public static async Task<NatsProbe> StartAsync(INatsConnection nats, string subject)
    {
        var probe = new NatsProbe(await nats.SubscribeCoreAsync<byte[]>(subject));
        await nats.PingAsync(); // the SUB is in place at the server
        return probe;
    }

    public IReadOnlyList<NatsMsg<byte[]>> Messages
    {
        get { lock (_lock) return [.. _messages]; }
    }

    /// <summary>When each of <see cref="Messages"/> arrived (Stopwatch ticks), in the same order.</summary>
    public IReadOnlyList<long> Arrivals
    {
        get { lock (_lock) return [.. _arrivals]; }
    }

    public async ValueTask DisposeAsync()
    {
        await _sub.DisposeAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
