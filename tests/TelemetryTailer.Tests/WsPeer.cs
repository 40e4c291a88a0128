using System.Text.Json;
using Platform.TestSupport;

namespace Platform.TelemetryTailer.Tests;

/// <summary>
/// The `ws` npm client (tests/interop/tailer-ws-client.mjs) driven line by line: what it prints is read in order,
/// each expectation consuming the first matching event after the previous one.
/// </summary>
public sealed class WsPeer : IAsyncDisposable
{
    private readonly NodePeer _node;
    private int _cursor;

    private WsPeer(NodePeer node) => _node = node;

    public static async Task<WsPeer> ConnectAsync(string url, bool countOnly = false)
    {
        var peer = new WsPeer(countOnly ? NodePeer.Start("tailer-ws-client.mjs", url, "--count") : NodePeer.Start("tailer-ws-client.mjs", url));
        peer.Opened = await peer.ExpectEventAsync("open");
        return peer;
    }

    public JsonElement Opened { get; private set; }

    public Task SendAsync(object message) => _node.WriteLineAsync(JsonSerializer.Serialize(message));

    public Task SendRawAsync(string line) => _node.WriteLineAsync(line);

    /// <summary>Every event printed so far.</summary>
    public IReadOnlyList<JsonElement> Events()
        => [.. _node.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>Every server message printed so far.</summary>
    public IReadOnlyList<JsonElement> Messages()
        => [.. Events().Where(e => e.GetProperty("event").GetString() == "message").Select(e => e.GetProperty("message"))];

    public Task<JsonElement> ExpectEventAsync(string name, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
        => NextAsync(e => e.GetProperty("event").GetString() == name && (match?.Invoke(e) ?? true), $"event '{name}'", timeout);

    /// <summary>The next server message of <paramref name="type"/> (satisfying <paramref name="match"/>).</summary>
    public async Task<JsonElement> ExpectAsync(string type, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var e = await NextAsync(e => e.GetProperty("event").GetString() == "message"
            && e.GetProperty("message").GetProperty("type").GetString() == type
            && (match?.Invoke(e.GetProperty("message")) ?? true), $"message of type '{type}'", timeout);
        return e.GetProperty("message");
    }

    private async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout)
    {
        JsonElement found = default;
        try
        {
            await Eventually.WaitAsync(() =>
            {
                var events = Events();
                for (var i = _cursor; i < events.Count; i++)
                {
                    if (!match(events[i])) continue;
                    found = events[i];
                    _cursor = i + 1;
                    return true;
                }
                return false;
            }, what, timeout ?? Eventually.DefaultTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nws client stdout:\n{_node.StandardOutput}\nstderr:\n{_node.StandardError}", ex);
        }
        return found;
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
