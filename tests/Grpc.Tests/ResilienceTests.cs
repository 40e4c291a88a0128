using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Platform.Grpc.Tests.V1;
using Platform.TestSupport;

namespace Platform.Grpc.Tests;

public sealed class ResilienceTests
{
    private static readonly GrpcChannelOptions FastRetries = new()
    {
        Retry = new GrpcRetryOptions { MaxAttempts = 5, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) },
    };

    [Fact]
    public async Task Unary_calls_are_retried_on_UNAVAILABLE()
    {
        await using var server = await TestGrpcServer.StartAsync();
        server.Probe.FailUnavailableTimes = 2;
        using var channel = GrpcChannel.ForAddress(server.Address, FastRetries);

        var reply = await new Tester.TesterClient(channel).EchoAsync(new EchoRequest { Text = "third time" });

        Assert.Equal("third time", reply.Text);
        Assert.Equal(3, server.Probe.EchoCalls);
    }

    [Fact]
    public async Task Other_failures_are_not_retried()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address, FastRetries);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Tester.TesterClient(channel).EchoAsync(new EchoRequest { FailCode = (int)StatusCode.Internal }).ResponseAsync);

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal(1, server.Probe.EchoCalls);
    }

    [Fact]
    public async Task Retries_stop_at_the_deadline()
    {
        await using var server = await TestGrpcServer.StartAsync();
        server.Probe.FailUnavailableTimes = int.MaxValue;
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions
        {
            Retry = new GrpcRetryOptions { MaxAttempts = 100, InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(5) },
        });

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RpcException>(() => new Tester.TesterClient(channel).EchoAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddMilliseconds(700)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.InRange(server.Probe.EchoCalls, 1, 10);
    }

    [Fact]
    public async Task Connection_refused_is_UNAVAILABLE_and_a_server_coming_up_is_reached_by_the_retries()
    {
        var port = FreePort.Next();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { Retry = null });
        var ex = await Assert.ThrowsAsync<RpcException>(() => new Tester.TesterClient(channel).EchoAsync(new EchoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);

        using var retrying = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions
        {
            Retry = new GrpcRetryOptions { MaxAttempts = 50, InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) },
        });
        var call = new Tester.TesterClient(retrying).EchoAsync(new EchoRequest { Text = "late" }, deadline: DateTime.UtcNow.AddSeconds(20));
        await using var server = await TestGrpcServer.StartAsync(port: port);

        Assert.Equal("late", (await call).Text);
    }

    [Fact]
    public async Task Server_dying_mid_stream_ends_the_call_with_UNAVAILABLE()
    {
        var server = await TestGrpcServer.StartAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress(server.Address);
            using var call = new Tester.TesterClient(channel).Count(new CountRequest { Count = 100_000, IntervalMs = 10 }, deadline: DateTime.UtcNow.AddSeconds(30));
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

            await server.KillAsync();
            var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
            });

            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
