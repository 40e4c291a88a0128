using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Safety.V1;
using Platform.TestSupport;

namespace Platform.Grpc.Tests;

/// <summary>Interop of grpc-dotnet with @grpc/grpc-js + @grpc/proto-loader, on the .proto files from contracts/protos.</summary>
public sealed class GrpcJsInteropTests
{
    [Fact]
    public async Task GrpcJs_client_calls_our_server_with_every_call_shape_and_health()
    {
        await using var server = await TestGrpcServer.StartAsync(configureEndpoints: e =>
        {
            e.MapGrpcService<FakeSafetyAuthority>();
            e.MapGrpcService<FakeEncoder>();
        });

        var output = await NodePeer.RunAsync("grpc-client.mjs", TimeSpan.FromSeconds(30), $"127.0.0.1:{server.Port}");
        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        JsonElement Op(string name) => results.First(r => r.GetProperty("op").GetString() == name);

        var state = Op("GetState");
        Assert.Equal("42", state.GetProperty("stateId").GetString());
        Assert.Equal("SAFETY_MODE_HOLD", state.GetProperty("mode").GetString());
        Assert.Equal("video_gate", state.GetProperty("sources")[0].GetProperty("kind").GetString());

        var estop = Op("Estop");
        Assert.Equal("SAFETY_MODE_ESTOP", estop.GetProperty("mode").GetString());
        Assert.Equal("zażółć ✓ 100% by ada via node", estop.GetProperty("reason").GetString());

        var clear = Op("ClearEstop");
        Assert.Equal((int)StatusCode.FailedPrecondition, clear.GetProperty("code").GetInt32());
        Assert.Equal("gates active: ✓ video_gate 100%", clear.GetProperty("details").GetString());
        Assert.Equal("video_gate", clear.GetProperty("trailer").GetString());

        Assert.Equal(["100", "101", "102", "103", "104"], Op("WatchState").GetProperty("stateIds").EnumerateArray().Select(e => e.GetString()));

        var ingest = Op("Ingest");
        Assert.Equal("20", ingest.GetProperty("framesReceived").GetString());
        Assert.Equal("15360", ingest.GetProperty("bytesReceived").GetString());
        Assert.Equal("20", ingest.GetProperty("lastFrameId").GetString());

        var deadline = Op("GetStatsDeadline");
        Assert.Equal((int)StatusCode.DeadlineExceeded, deadline.GetProperty("code").GetInt32());
        Assert.True(deadline.GetProperty("elapsedMs").GetInt32() < 4000);

        var health = results.Where(r => r.GetProperty("op").GetString() == "HealthCheck").ToDictionary(r => r.GetProperty("service").GetString()!);
        Assert.Equal("SERVING", health[""].GetProperty("status").GetString());
        Assert.Equal((int)StatusCode.NotFound, health["no.Such"].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task GrpcJs_reflection_lists_and_describes_every_service_and_calls_one_from_the_descriptors_alone()
    {
        await using var server = await TestGrpcServer.StartAsync(configureEndpoints: e => e.MapGrpcService<FakeSafetyAuthority>());

        var output = await NodePeer.RunAsync("grpc-reflection.mjs", TimeSpan.FromSeconds(30), $"127.0.0.1:{server.Port}",
            "platform.safety.v1.SafetyAuthority/GetState", "{}");
        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        var services = results.Single(r => r.GetProperty("op").GetString() == "list").GetProperty("services").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "platform.safety.v1.SafetyAuthority", "platform.test.v1.Tester"],
            services.Where(s => s != "grpc.reflection.v1.ServerReflection").Order(StringComparer.Ordinal));
        var safety = results.Single(r => r.GetProperty("op").GetString() == "describe" && r.GetProperty("service").GetString() == "platform.safety.v1.SafetyAuthority");
        Assert.Equal(["GetState", "WatchState", "Estop", "ClearEstop"], safety.GetProperty("methods").EnumerateArray().Select(e => e.GetString()));
        var call = results.Single(r => r.GetProperty("op").GetString() == "call");
        Assert.Equal(0, call.GetProperty("code").GetInt32());
        // Reflection descriptors carry the .proto field names.
        Assert.True(call.GetProperty("reply").TryGetProperty("state_id", out var stateId), output);
        Assert.Equal("42", stateId.GetString());
        Assert.Equal("SAFETY_MODE_HOLD", call.GetProperty("reply").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Our_client_calls_a_grpc_js_server_with_every_call_shape()
    {
        await using var peer = NodePeer.Start("grpc-server.mjs");
        using var channel = GrpcChannel.ForAddress(await ListeningAddressAsync(peer));
        var safety = new SafetyAuthority.SafetyAuthorityClient(channel);
        var encoder = new Encoder.EncoderClient(channel);

        var state = await safety.GetStateAsync(new GetStateRequest(), new Metadata { { "x-operator", "grace" } }, Soon());
        Assert.Equal(FakeSafetyAuthority.State(42, "node:grace"), state);

        Assert.Equal("zażółć ✓", (await safety.EstopAsync(new EstopRequest { Reason = "zażółć ✓" }, deadline: Soon())).Reason);

        var ex = await Assert.ThrowsAsync<RpcException>(() => safety.ClearEstopAsync(new ClearEstopRequest { Operator = "ada" }, deadline: Soon()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("gates active: ✓ video_gate 100%", ex.Status.Detail);
        Assert.Equal("video_gate", ex.Trailers.GetValue("failure-detail"));

        using (var watch = safety.WatchState(new WatchStateRequest(), deadline: Soon()))
        {
            var ids = new List<ulong>();
            while (ids.Count < 5 && await watch.ResponseStream.MoveNext(CancellationToken.None)) ids.Add(watch.ResponseStream.Current.StateId);
            Assert.Equal([100UL, 101, 102, 103, 104], ids);
        }

        using (var ingest = encoder.Ingest(deadline: Soon()))
        {
            for (var i = 1; i <= 20; i++)
                await ingest.RequestStream.WriteAsync(new RawFrame { Stream = "main", FrameId = (ulong)i, Width = 32, Height = 16, PixelFormat = PixelFormat.I420, Data = ByteString.CopyFrom(new byte[768]) });
            await ingest.RequestStream.CompleteAsync();
            var summary = await ingest;
            Assert.Equal(20UL, summary.FramesReceived);
            Assert.Equal(20UL * 768, summary.BytesReceived);
            Assert.Equal(20UL, summary.LastFrameId);
        }

        var deadlineEx = await Assert.ThrowsAsync<RpcException>(() =>
            encoder.RequestKeyframeAsync(new RequestKeyframeRequest(), deadline: DateTime.UtcNow.AddMilliseconds(200)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, deadlineEx.StatusCode);

        var unimplemented = await Assert.ThrowsAsync<RpcException>(() =>
            new Platform.Contracts.Recorder.V1.Recorder.RecorderClient(channel).ListAsync(new Platform.Contracts.Recorder.V1.ListRequest(), deadline: Soon()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, unimplemented.StatusCode);
    }

    [Fact]
    public async Task A_grpc_js_server_killed_mid_stream_ends_our_call_with_UNAVAILABLE()
    {
        await using var peer = NodePeer.Start("grpc-server.mjs");
        using var channel = GrpcChannel.ForAddress(await ListeningAddressAsync(peer));
        using var watch = new SafetyAuthority.SafetyAuthorityClient(channel).WatchState(new WatchStateRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));

        await peer.DisposeAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None)) { }
        });

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    private static DateTime Soon() => DateTime.UtcNow.AddSeconds(30);

    private static async Task<string> ListeningAddressAsync(NodePeer peer)
    {
        var line = await peer.WaitForLineAsync(l => l.StartsWith("listening ", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        return "http://127.0.0.1:" + line["listening ".Length..].Trim();
    }
}
