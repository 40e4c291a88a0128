using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Platform.Nats.Internal;
using Platform.TestSupport;

namespace Platform.Nats.Tests;

/// <summary>A hostile or broken server: the client must fail clearly or reconnect, never hang or crash.</summary>
public sealed class BadInputTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static NatsConnection Connect(string url, Func<NatsOpts, NatsOpts>? configure = null)
    {
        var opts = NatsOpts.Default with
        {
            Url = url,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(20),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(100),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        return new NatsConnection(configure is null ? opts : configure(opts));
    }

    /// <summary>Connects to a fake server whose first connection gets <paramref name="afterHandshake"/>; later ones hold.</summary>
    private static async Task<string> FirstDisconnectReasonAsync(string afterHandshake, bool closeAfter)
    {
        await using var server = FakeNatsServer.Start(async s =>
        {
            await s.HandshakeAsync();
            if (s.Index == 0)
            {
                await s.SendAsync(afterHandshake);
                if (closeAfter) return;
            }
            await s.HoldAsync();
        });
        var reasons = new ConcurrentQueue<string>();
        await using var nats = Connect(server.Url);
        nats.ConnectionDisconnected += (_, e) => { reasons.Enqueue(e.Message); return ValueTask.CompletedTask; };
        await nats.ConnectAsync();
        await Eventually.WaitAsync(() => !reasons.IsEmpty, "the client drops the bad connection", Deadline);
        await Eventually.WaitAsync(() => server.Accepted >= 2 && nats.ConnectionState == NatsConnectionState.Open, "the client reconnects", Deadline);
        await nats.DisposeAsync().AsTask().WaitAsync(Deadline);
        reasons.TryPeek(out var reason);
        return reason!;
    }

    [Fact]
    public async Task Garbage_from_the_server_drops_the_connection_with_a_clear_error_and_reconnects()
    {
        var reason = await FirstDisconnectReasonAsync("HELLO THERE\r\n", closeAfter: false);
        Assert.Contains("unknown protocol operation", reason);
        Assert.Contains("HELLO THERE", reason);
    }

    [Fact]
    public async Task Truncated_frame_then_close_is_reported_and_reconnects()
    {
        var reason = await FirstDisconnectReasonAsync("MSG foo 1 100\r\nonly-part-of-it", closeAfter: true);
        Assert.Contains("middle of a frame", reason);
    }

    [Fact]
    public async Task Oversized_msg_length_is_refused_without_buffering_it()
    {
        var reason = await FirstDisconnectReasonAsync("MSG foo 1 999999999\r\n", closeAfter: false);
        Assert.Contains("999999999", reason);
        Assert.Contains("refusing", reason);
    }

    [Fact]
    public async Task Payload_not_matching_its_length_is_a_protocol_error()
    {
        var reason = await FirstDisconnectReasonAsync("MSG foo 1 3\r\nabcdef\r\n", closeAfter: false);
        Assert.Contains("not followed by CRLF", reason);
    }

    [Fact]
    public async Task Control_line_without_end_is_a_protocol_error()
    {
        var reason = await FirstDisconnectReasonAsync("MSG " + new string('x', 5000), closeAfter: false);
        Assert.Contains("4096", reason);
    }

    [Fact]
    public async Task Server_err_after_connect_drops_and_reconnects()
    {
        var reason = await FirstDisconnectReasonAsync("-ERR 'Stale Connection'\r\n", closeAfter: false);
        Assert.Contains("Stale Connection", reason);
    }

    [Fact]
    public async Task Server_err_during_handshake_fails_connect_with_the_servers_words()
    {
        await using var server = FakeNatsServer.Start(async s =>
        {
            await s.SendAsync(FakeSession.Info);
            await s.WaitForAsync("PING\r\n");
            await s.SendAsync("-ERR 'Authorization Violation'\r\n");
        });
        await using var nats = Connect(server.Url);
        var ex = await Assert.ThrowsAsync<NatsException>(async () => await nats.ConnectAsync().AsTask().WaitAsync(Deadline));
        Assert.Contains("Authorization Violation", ex.Message);
    }

    [Fact]
    public async Task Server_that_never_sends_info_times_out_the_connect()
    {
        await using var server = FakeNatsServer.Start(s => s.HoldAsync());
        await using var nats = Connect(server.Url, o => o with { ConnectTimeout = TimeSpan.FromMilliseconds(300) });
        var ex = await Assert.ThrowsAsync<NatsException>(async () => await nats.ConnectAsync().AsTask().WaitAsync(Deadline));
        Assert.Contains("ConnectTimeout", ex.Message);
    }

    [Fact]
    public async Task Server_that_stops_answering_pings_is_declared_stale()
    {
        await using var server = FakeNatsServer.Start(async s =>
        {
            await s.HandshakeAsync();
            await s.HoldAsync(); // reads PINGs, never answers
        });
        var reasons = new ConcurrentQueue<string>();
        await using var nats = Connect(server.Url, o => o with { PingInterval = TimeSpan.FromMilliseconds(100), MaxPingOut = 2 });
        nats.ConnectionDisconnected += (_, e) => { reasons.Enqueue(e.Message); return ValueTask.CompletedTask; };
        await nats.ConnectAsync();
        await Eventually.WaitAsync(() => !reasons.IsEmpty, "stale connection detected", Deadline);
        Assert.Contains("Stale connection", reasons.First());
    }

    [Fact]
    public async Task Randomized_hostile_streams_never_hang_or_crash_the_client()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var streams = Enumerable.Range(0, 40).Select(_ => HostileStream(random)).ToArray();
        await using var server = FakeNatsServer.Start(async s =>
        {
            await s.HandshakeAsync();
            if (s.Index < streams.Length)
            {
                await s.SendAsync(streams[s.Index]);
                if (s.Index % 2 == 0) return; // half close right after, half keep the socket open
            }
            await s.HoldAsync();
        });
        await using var nats = Connect(server.Url, o => o with { PingInterval = TimeSpan.FromMilliseconds(200), MaxPingOut = 1, SubPendingChannelCapacity = 16 });
        await nats.ConnectAsync();
        await using var sub = await nats.SubscribeCoreAsync<byte[]>("foo");

        // Each hostile stream ends its connection (protocol error, close, or stale ping); the client keeps coming back.
        await Eventually.WaitAsync(() => server.Accepted > streams.Length, $"client survived {streams.Length} hostile streams (seed {seed})", TimeSpan.FromSeconds(60));
        await Eventually.WaitAsync(() => nats.ConnectionState == NatsConnectionState.Open, $"client open again (seed {seed})", Deadline);
        await nats.DisposeAsync().AsTask().WaitAsync(Deadline);
    }

    /// <summary>Valid frames, then mutations: flipped bytes, wrong lengths, truncation, random junk.</summary>
    private static byte[] HostileStream(Random random)
    {
        var sb = new StringBuilder();
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            var payload = new string('p', random.Next(0, 40));
            sb.Append(random.Next(3) switch
            {
                0 => $"MSG foo 1 {payload.Length}\r\n{payload}\r\n",
                1 => $"HMSG foo 1 _INBOX.x 12 {12 + payload.Length}\r\nNATS/1.0\r\n\r\n{payload}\r\n",
                _ => "PING\r\n",
            });
        }
        var bytes = Encoding.ASCII.GetBytes(sb.ToString()).ToList();
        switch (random.Next(5))
        {
            case 0:
                for (var i = random.Next(1, 8); i > 0 && bytes.Count > 0; i--) bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                bytes.AddRange(Encoding.ASCII.GetBytes("XX\r\n"));
                break;
            case 1:
                bytes.AddRange(Encoding.ASCII.GetBytes($"MSG foo 1 {random.Next(1, 50)}\r\nshort"));
                break;
            case 2:
                bytes.AddRange(Encoding.ASCII.GetBytes($"HMSG foo 1 {random.Next(20, 90)} {random.Next(0, 20)}\r\n"));
                break;
            case 3:
                var junk = new byte[random.Next(1, 6000)];
                random.NextBytes(junk);
                bytes.AddRange(junk);
                break;
            default:
                bytes.AddRange(Encoding.ASCII.GetBytes($"MSG foo 1 {random.NextInt64(2_000_000, long.MaxValue)}\r\n"));
                break;
        }
        return [.. bytes];
    }

    [Fact]
    public void Parser_fuzz_only_ever_returns_or_throws_protocol_errors()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var iteration = 0; iteration < 20_000; iteration++)
        {
            var bytes = HostileStream(random);
            if (random.Next(4) == 0) random.NextBytes(bytes);
            var buffer = Split(bytes, random);
            try
            {
                while (true)
                {
                    var before = buffer.Length;
                    if (!ProtocolParser.TryRead(ref buffer, 1024 * 1024, out _)) break;
                    Assert.True(buffer.Length < before, $"parser made no progress (seed {seed}, iteration {iteration})");
                }
            }
            catch (NatsProtocolException)
            {
                // the expected way to refuse bad input
            }
        }
    }

    [Fact]
    public void Parser_reads_the_same_frames_however_the_bytes_are_split()
    {
        var random = new Random(1234);
        var stream = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            var payload = new string((char)('a' + i % 26), i % 50);
            stream.Append(i % 3 == 0
                ? $"HMSG sub.{i} 7 reply.{i} 18 {18 + payload.Length}\r\nNATS/1.0\r\nK: {i % 10}\r\n\r\n{payload}\r\n"
                : $"MSG sub.{i} 7 {payload.Length}\r\n{payload}\r\n");
            if (i % 17 == 0) stream.Append("PING\r\n");
        }
        var bytes = Encoding.ASCII.GetBytes(stream.ToString());
        var expected = ParseAll(new ReadOnlySequence<byte>(bytes));
        for (var trial = 0; trial < 50; trial++) Assert.Equal(expected, ParseAll(Split(bytes, random)));
        Assert.Equal(200 + 12, expected.Count);
    }

    private static List<string> ParseAll(ReadOnlySequence<byte> buffer)
    {
        var ops = new List<string>();
        while (ProtocolParser.TryRead(ref buffer, 1024 * 1024, out var op))
        {
            ops.Add(op.Kind == ServerOpKind.Msg
                ? $"{Encoding.ASCII.GetString(op.Subject)}|{op.Sid}|{Encoding.ASCII.GetString(op.ReplyTo)}|{(op.HasHeaders ? HeaderCodec.Parse(op.Headers)["K"].ToString() : "-")}|{Encoding.ASCII.GetString(op.Payload)}"
                : op.Kind.ToString());
        }
        Assert.True(buffer.IsEmpty);
        return ops;
    }

    /// <summary>The same bytes as a chain of randomly sized segments (as a socket delivers them).</summary>
    private static ReadOnlySequence<byte> Split(byte[] bytes, Random random)
    {
        if (bytes.Length == 0) return ReadOnlySequence<byte>.Empty;
        Segment? first = null, last = null;
        for (var at = 0; at < bytes.Length;)
        {
            var length = Math.Min(bytes.Length - at, random.Next(1, 64));
            var segment = new Segment(bytes.AsMemory(at, length));
            if (first is null) first = segment;
            else last!.Append(segment);
            last = segment;
            at += length;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public void Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
        }
    }
}
