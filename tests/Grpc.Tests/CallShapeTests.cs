using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Platform.Grpc.Tests.V1;

namespace Platform.Grpc.Tests;

public sealed class CallShapeTests
{
    [Fact]
    public async Task Unary_round_trips_message_and_metadata()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new Tester.TesterClient(channel);
        var headers = new Metadata { { "x-user", "ada" }, { "x-token-bin", [0, 1, 2, 255] } };

        var call = client.EchoAsync(new EchoRequest { Text = "héllo", Payload = ByteString.CopyFromUtf8("abc") }, headers);
        var reply = await call;

        Assert.Equal("héllo", reply.Text);
        Assert.Equal("abc", reply.Payload.ToStringUtf8());
        Assert.Equal("ada", reply.Headers["x-user"]);
        Assert.Equal(Convert.ToBase64String(new byte[] { 0, 1, 2, 255 }), reply.Headers["x-token-bin"]);
        Assert.Equal(-1, reply.DeadlineRemainingMs);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.NotNull(await call.ResponseHeadersAsync);
    }

    [Fact]
    public async Task Blocking_unary_call_works()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var reply = new Tester.TesterClient(channel).Echo(new EchoRequest { Text = "sync" });
        Assert.Equal("sync", reply.Text);
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_in_order()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new Tester.TesterClient(channel).Count(new CountRequest { Count = 100 });

        var texts = new List<string>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync()) texts.Add(reply.Text);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), texts);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Server_streaming_with_no_messages_ends_ok()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new Tester.TesterClient(channel).Count(new CountRequest { Count = 0 });
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Client_streaming_receives_every_message()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new Tester.TesterClient(channel).Sum();

        for (var i = 0; i < 50; i++) await call.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[i]) });
        await call.RequestStream.CompleteAsync();
        var sum = await call;

        Assert.Equal(50, sum.Count);
        Assert.Equal(Enumerable.Range(0, 50).Sum(), sum.Bytes);
    }

    [Fact]
    public async Task Duplex_streaming_answers_each_message_before_the_next_is_sent()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new Tester.TesterClient(channel).Chat();

        for (var i = 0; i < 20; i++)
        {
            var text = "m" + i;
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(text, call.ResponseStream.Current.Text);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Many_concurrent_calls_share_one_channel()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new Tester.TesterClient(channel);

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i => (await client.EchoAsync(new EchoRequest { Text = "c" + i })).Text));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => "c" + i), replies);
    }
}
