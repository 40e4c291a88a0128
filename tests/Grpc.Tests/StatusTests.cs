using Grpc.Core;
using Grpc.Net.Client;
using Platform.Grpc.Tests.V1;

namespace Platform.Grpc.Tests;

public sealed class StatusTests
{
    [Fact]
    public async Task Error_status_message_and_trailers_round_trip_percent_encoded()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var message = "bad input: ✓ 100% ünïcode\nsecond line";

        var call = new Tester.TesterClient(channel).EchoAsync(new EchoRequest { FailCode = (int)StatusCode.FailedPrecondition, FailMessage = message });
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        Assert.Equal("from-handler", ex.Trailers.GetValue("failure-detail"));
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, ex.Trailers.GetValueBytes("failure-bin"));
        Assert.Equal(StatusCode.FailedPrecondition, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Handler_exception_becomes_UNKNOWN_without_its_message()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Tester.TesterClient(channel).EchoAsync(new EchoRequest { FailCode = -1 }).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.Equal("Exception was thrown by handler.", ex.Status.Detail);
    }

    [Fact]
    public async Task Unknown_method_and_unknown_service_get_UNIMPLEMENTED()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var invoker = channel.CreateCallInvoker();

        var unknownMethod = new Method<EchoRequest, EchoReply>(MethodType.Unary, "platform.test.v1.Tester", "Nope", Marshal<EchoRequest>(), Marshal<EchoReply>());
        var unknownService = new Method<EchoRequest, EchoReply>(MethodType.Unary, "platform.test.v1.Missing", "Echo", Marshal<EchoRequest>(), Marshal<EchoReply>());

        var methodEx = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(unknownMethod, null, default, new EchoRequest()).ResponseAsync);
        var serviceEx = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(unknownService, null, default, new EchoRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, methodEx.StatusCode);
        Assert.Equal("Method is unimplemented.", methodEx.Status.Detail);
        Assert.Equal(StatusCode.Unimplemented, serviceEx.StatusCode);
        Assert.Equal("Service is unimplemented.", serviceEx.Status.Detail);
    }

    [Fact]
    public async Task Error_in_the_middle_of_a_client_stream_ends_the_call_with_that_status()
    {
        await using var server = await TestGrpcServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new Tester.TesterClient(channel).Sum();

        await call.RequestStream.WriteAsync(new EchoRequest());
        try
        {
            await call.RequestStream.WriteAsync(new EchoRequest { FailCode = (int)StatusCode.OutOfRange, FailMessage = "too far" });
        }
        catch (RpcException early)
        {
            // The server may end the call before this write has completed on our side: then the write reports the status.
            Assert.Equal(StatusCode.OutOfRange, early.StatusCode);
        }
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
        // Writing after the server ended the call surfaces the same status.
        var writeEx = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new EchoRequest()));
        Assert.Equal(StatusCode.OutOfRange, writeEx.StatusCode);
    }

    internal static Marshaller<T> Marshal<T>() where T : Google.Protobuf.IMessage<T>, new() =>
        Marshallers.Create<T>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), bytes => new Google.Protobuf.MessageParser<T>(() => new T()).ParseFrom(bytes));
}
