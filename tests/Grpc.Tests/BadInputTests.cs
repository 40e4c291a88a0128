using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Platform.Grpc.Tests.V1;

namespace Platform.Grpc.Tests;

/// <summary>Bad input to a server with the platform's gRPC defaults: each gets a gRPC status, and the server keeps serving.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string EchoPath = "/platform.test.v1.Tester/Echo";
    private TestGrpcServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestGrpcServer.StartAsync();
        _http = RawGrpc.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Wrong_content_type_gets_415_with_a_grpc_status()
    {
        using var response = await RawGrpc.SendAsync(_http, _server.Address, EchoPath, RawGrpc.Frame(new EchoRequest()), contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var (status, message) = await RawGrpc.ReadStatusAsync(response);
        Assert.Equal(StatusCode.Internal, status);
        Assert.Contains("application/json", message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Truncated_length_prefix_gets_INTERNAL()
    {
        using var response = await RawGrpc.SendAsync(_http, _server.Address, EchoPath, [0, 0, 0]);

        Assert.Equal(StatusCode.Internal, (await RawGrpc.ReadStatusAsync(response)).Status);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Length_prefix_larger_than_the_body_gets_INTERNAL()
    {
        using var response = await RawGrpc.SendAsync(_http, _server.Address, EchoPath, RawGrpc.Frame([0x0A, 0x01, 0x41], declaredLength: 100));

        var (status, message) = await RawGrpc.ReadStatusAsync(response);
        Assert.Equal(StatusCode.Internal, status);
        Assert.Contains("Incomplete message", message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Random_bytes_as_protobuf_get_UNKNOWN()
    {
        // 0xFF... is an invalid varint tag: it cannot parse as any message. grpc-dotnet reads the request inside the
        // handler's call, so a parse failure ends it as a handler exception would (details only with EnableDetailedErrors).
        using var response = await RawGrpc.SendAsync(_http, _server.Address, EchoPath, RawGrpc.Frame(Enumerable.Repeat((byte)0xFF, 64).ToArray()));

        var (status, message) = await RawGrpc.ReadStatusAsync(response);
        Assert.True(status == StatusCode.Unknown, $"{status}: {message}");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Random_bytes_as_the_whole_body_get_a_grpc_status()
    {
        var random = new Random(42);
        for (var i = 0; i < 20; i++)
        {
            var body = new byte[random.Next(1, 300)];
            random.NextBytes(body);
            using var response = await RawGrpc.SendAsync(_http, _server.Address, EchoPath, body);

            var (status, _) = await RawGrpc.ReadStatusAsync(response);
            Assert.True(status is StatusCode.Internal or StatusCode.Unknown or StatusCode.ResourceExhausted or StatusCode.Unimplemented or StatusCode.OK, $"body {i}: {status}");
        }
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Compressed_flag_without_an_encoding_gets_INTERNAL()
    {
        using var response = await RawGrpc.SendAsync(_http, _server.Address, EchoPath, RawGrpc.Frame([0x0A, 0x01, 0x41], compressed: 1));

        Assert.Equal(StatusCode.Internal, (await RawGrpc.ReadStatusAsync(response)).Status);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_message_over_the_4_MiB_default_gets_RESOURCE_EXHAUSTED()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Tester.TesterClient(channel)
            .EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task An_expired_deadline_gets_DEADLINE_EXCEEDED_and_cancels_the_handler()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Tester.TesterClient(channel)
            .EchoAsync(new EchoRequest { DelayMs = 60_000 }, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await _server.Probe.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task The_server_enforces_grpc_timeout_on_its_own()
    {
        using var response = await RawGrpc.SendAsync(_http, _server.Address, EchoPath, RawGrpc.Frame(new EchoRequest { DelayMs = 60_000 }), extraHeaders: [("grpc-timeout", "200m")]);

        Assert.Equal(StatusCode.DeadlineExceeded, (await RawGrpc.ReadStatusAsync(response)).Status);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Two_messages_on_a_unary_call_get_INTERNAL()
    {
        var one = RawGrpc.Frame(new EchoRequest { Text = "a" });
        using var response = await RawGrpc.SendAsync(_http, _server.Address, EchoPath, [.. one, .. one]);

        Assert.Equal(StatusCode.Internal, (await RawGrpc.ReadStatusAsync(response)).Status);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Unknown_path_with_grpc_content_type_gets_UNIMPLEMENTED_trailers_only()
    {
        using var response = await RawGrpc.SendAsync(_http, _server.Address, "/no.Such/Thing", RawGrpc.Frame(new EchoRequest()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("grpc-status"), "Trailers-Only: status in the headers");
        Assert.Equal(StatusCode.Unimplemented, (await RawGrpc.ReadStatusAsync(response)).Status);
    }

    [Fact]
    public async Task A_plain_GET_on_a_two_segment_path_is_not_taken_by_the_unimplemented_endpoint()
    {
        // A page's /js/main.js must reach static files or a fallback: 404 here (nothing else is mapped), never 405.
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.Address + "/js/main.js") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_grpc_timeout_is_ignored()
    {
        using var response = await RawGrpc.SendAsync(_http, _server.Address, EchoPath, RawGrpc.Frame(new EchoRequest { Text = "x" }), extraHeaders: [("grpc-timeout", "soon")]);

        Assert.Equal(StatusCode.OK, (await RawGrpc.ReadStatusAsync(response)).Status);
    }

    private async Task AssertStillServingAsync()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        Assert.Equal("alive", (await new Tester.TesterClient(channel).EchoAsync(new EchoRequest { Text = "alive" }, deadline: DateTime.UtcNow.AddSeconds(30))).Text);
    }
}
