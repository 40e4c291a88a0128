using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NATS.Client.Core;
using Platform.TestSupport;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>Records every message on a subject (a real subscription on a test client) so tests can wait for one.</summary>
internal sealed class SubjectRecorder<T> : IAsyncDisposable where T : class
{
    private readonly INatsSub<byte[]> _sub;
    private readonly JsonTypeInfo<T> _type;
    private readonly List<(string Subject, T Message)> _messages = [];
    private readonly List<string> _unreadable = [];
    private readonly Lock _gate = new();
    private readonly Task _pump;

    private SubjectRecorder(INatsSub<byte[]> sub, JsonTypeInfo<T> type)
    {
        _sub = sub;
        _type = type;
        _pump = Task.Run(PumpAsync);
    }

    public static async Task<SubjectRecorder<T>> StartAsync(INatsConnection nats, string subject, JsonTypeInfo<T> type)
    {
        var sub = await nats.SubscribeCoreAsync<byte[]>(subject);
        await nats.PingAsync(); // the server has the subscription before the test publishes
        return new SubjectRecorder<T>(sub, type);
    }

    public IReadOnlyList<(string Subject, T Message)> Messages
    {
        get { lock (_gate) return [.. _messages]; }
    }

    /// <summary>The newest message, or null before the first.</summary>
    public T? Latest
    {
        get { lock (_gate) return _messages.Count == 0 ? null : _messages[^1].Message; }
    }

    /// <summary>Messages that did not deserialize, with why (a test failure names them).</summary>
    public IReadOnlyList<string> Unreadable
    {
        get { lock (_gate) return [.. _unreadable]; }
    }

    /// <summary>Waits for the first message, among those after the first <paramref name="after"/>, that matches.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, string what, TimeSpan? timeout = null, int after = 0)
    {
        T? found = null;
        await Eventually.WaitAsync(() => (found = Messages.Skip(after).Select(m => m.Message).FirstOrDefault(match)) is not null, what, timeout);
        return found!;
    }

    private async Task PumpAsync()
    {
        await foreach (var msg in _sub.Msgs.ReadAllAsync())
        {
            try
            {
                var value = JsonSerializer.Deserialize(msg.Data ?? [], _type);
                if (value is not null)
                    lock (_gate) _messages.Add((msg.Subject, value));
            }
            catch (JsonException ex)
            {
                lock (_gate) _unreadable.Add($"{msg.Subject}: {ex.Message} in {System.Text.Encoding.UTF8.GetString(msg.Data ?? [])}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sub.DisposeAsync();
        await _pump.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
