using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Platform.Grpc.Tests.V1;

namespace Platform.Grpc.Tests;

public sealed class LargeMessageTests
{
    [Fact]
    public async Task Messages_just_under_the_4_MiB_default_round_trip_intact()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        // The echo also carries the request headers back (traceparent when another test's listener samples the call):
        // leave room for them so the reply stays under the client's limit too.
        var payload = new byte[4 * 1024 * 1024 - 1024];
        Random.Shared.NextBytes(payload);

        var reply = await new Tester.TesterClient(channel).EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(payload) });

        Assert.Equal(payload, reply.Payload.ToByteArray());
    }

    [Fact]
    public async Task Request_over_the_server_limit_gets_RESOURCE_EXHAUSTED_and_the_server_keeps_serving()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new Tester.TesterClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("ok", (await client.EchoAsync(new EchoRequest { Text = "ok" })).Text);
    }

    [Fact]
    public async Task Server_limit_is_configurable()
    {
        await using var server = await TestGrpcServer.StartAsync(s => s.AddGrpc(o => o.MaxReceiveMessageSize = 1024));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new Tester.TesterClient(channel);

        Assert.Equal(1000, (await client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[1000]) })).Payload.Length);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Response_over_the_client_limit_gets_RESOURCE_EXHAUSTED_on_the_client()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Tester.TesterClient(channel).EchoAsync(new EchoRequest { ReplySize = 100_000 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Request_over_the_client_send_limit_is_refused_before_sending()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = 1000 });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Tester.TesterClient(channel).EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, server.Probe.EchoCalls);
    }

    [Fact]
    public async Task Large_client_stream_of_frames_is_received_whole()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new Tester.TesterClient(channel).Sum();
        var frame = ByteString.CopyFrom(new byte[1280 * 720 * 3 / 2]); // one I420 720p frame

        for (var i = 0; i < 30; i++) await call.RequestStream.WriteAsync(new EchoRequest { Payload = frame });
        await call.RequestStream.CompleteAsync();
        var sum = await call;

        Assert.Equal(30, sum.Count);
        Assert.Equal(30L * frame.Length, sum.Bytes);
    }
}
