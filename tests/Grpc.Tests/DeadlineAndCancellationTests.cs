using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Platform.Grpc.Tests.V1;

namespace Platform.Grpc.Tests;

public sealed class DeadlineAndCancellationTests
{
    [Fact]
    public async Task Deadline_reaches_the_handler_which_is_cancelled_and_the_caller_gets_DEADLINE_EXCEEDED()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new Tester.TesterClient(channel);

        var seen = await client.EchoAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.InRange(seen.DeadlineRemainingMs, 25_000, 30_000);

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { DelayMs = 30_000 }, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        await server.Probe.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Server_enforces_grpc_timeout_on_its_own()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var http = RawGrpc.CreateClient();

        using var response = await RawGrpc.SendAsync(http, server.Address, "/platform.test.v1.Tester/Echo",
            RawGrpc.Frame(new EchoRequest { DelayMs = 30_000 }), extraHeaders: [("grpc-timeout", "200m")]);
        var (status, _) = await RawGrpc.ReadStatusAsync(response);

        Assert.Equal(StatusCode.DeadlineExceeded, status);
        await server.Probe.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Client_enforces_its_deadline_against_a_server_that_never_answers()
    {
        var release = new TaskCompletionSource();
        await using var server = await TestGrpcServer.StartAsync(configureEndpoints: e =>
            e.MapPost("/platform.test.v1.Stalled/Echo", async (HttpContext _) => await release.Task));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var stalled = new Method<EchoRequest, EchoReply>(MethodType.Unary, "platform.test.v1.Stalled", "Echo", StatusTests.Marshal<EchoRequest>(), StatusTests.Marshal<EchoReply>());

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(stalled, null, new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(300)), new EchoRequest()).ResponseAsync);
        release.SetResult();

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_deadline_already_past_fails_at_once_without_a_request()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Tester.TesterClient(channel).EchoAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddSeconds(-1)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(0, server.Probe.EchoCalls);
    }

    [Fact]
    public async Task Server_streaming_deadline_ends_the_stream_with_DEADLINE_EXCEEDED()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new Tester.TesterClient(channel).Count(new CountRequest { Count = 1000, IntervalMs = 50 }, deadline: DateTime.UtcNow.AddMilliseconds(400));

        var received = 0;
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None)) received++;
        });

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.InRange(received, 1, 999);
    }

    [Fact]
    public async Task Client_cancellation_reaches_the_server_handler()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var cts = new CancellationTokenSource();
        using var call = new Tester.TesterClient(channel).Count(new CountRequest { Count = 1000, IntervalMs = 20 }, cancellationToken: cts.Token);

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
        });

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await server.Probe.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Disposing_a_call_cancels_it_on_the_server()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var call = new Tester.TesterClient(channel).Count(new CountRequest { Count = 1000, IntervalMs = 20 });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        call.Dispose();

        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        await server.Probe.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
