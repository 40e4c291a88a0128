using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Platform.Nats.Tests;

/// <summary>
/// A TCP server that speaks just enough NATS to get a client connected, then runs a script that can send
/// anything (garbage, truncated frames, -ERR). Each accepted connection runs the script with its index.
/// </summary>
internal sealed class FakeNatsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeSession, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private readonly Task _accept;
    private int _accepted;

    private FakeNatsServer(Func<FakeSession, Task> script)
    {
        _script = script;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public static FakeNatsServer Start(Func<FakeSession, Task> script) => new(script);

    public string Url => $"nats://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Accepted => Volatile.Read(ref _accepted);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var index = Interlocked.Increment(ref _accepted) - 1;
                lock (_sessions) _sessions.Add(RunAsync(client, index));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunAsync(TcpClient client, int index)
    {
        using (client)
        {
            try
            {
                await _script(new FakeSession(client.GetStream(), index, _stop.Token));
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // the client hung up or the test ended
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        Task[] sessions;
        lock (_sessions) sessions = [.. _sessions];
        await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}

internal sealed class FakeSession(NetworkStream stream, int index, CancellationToken stop)
{
    public const string Info = """INFO {"server_id":"FAKE","server_name":"fake","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576} """ + "\r\n";

    private readonly StringBuilder _received = new();

    public int Index { get; } = index;
    public CancellationToken Stop { get; } = stop;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await stream.WriteAsync(bytes, Stop);
        await stream.FlushAsync(Stop);
    }

    /// <summary>INFO, then wait for the client's CONNECT and PING, then PONG.</summary>
    public async Task HandshakeAsync()
    {
        await SendAsync(Info);
        await WaitForAsync("PING\r\n");
        await SendAsync("PONG\r\n");
    }

    /// <summary>Reads until the client has sent <paramref name="text"/> (consuming everything up to it).</summary>
    public async Task WaitForAsync(string text)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var all = _received.ToString();
            var at = all.IndexOf(text, StringComparison.Ordinal);
            if (at >= 0)
            {
                _received.Remove(0, at + text.Length);
                return;
            }
            var n = await stream.ReadAsync(buffer, Stop);
            if (n == 0) throw new IOException("client closed");
            _received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    /// <summary>Keeps the connection open (reading and discarding) until the client closes it or the test ends.</summary>
    public async Task HoldAsync()
    {
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer, Stop) > 0)
        {
        }
    }
}
