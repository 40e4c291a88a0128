using Google.Protobuf;
using Grpc.Core;
using Platform.Grpc.Tests.V1;

namespace Platform.Grpc.Tests;

/// <summary>What the test service saw: the tests assert on it.</summary>
public sealed class TesterProbe
{
    private int _echoCalls;
    private int _sumCalls;

    public TaskCompletionSource HandlerCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Calls of Echo and Act together.</summary>
    public int EchoCalls => Volatile.Read(ref _echoCalls);
    public int SumCalls => Volatile.Read(ref _sumCalls);
    /// <summary>Echo, Act and Sum fail with UNAVAILABLE this many times before they answer.</summary>
    public int FailUnavailableTimes { get; set; }

    public int NextEchoCall() => Interlocked.Increment(ref _echoCalls);
    public int NextSumCall() => Interlocked.Increment(ref _sumCalls);
}

/// <summary>The test service: every call shape, with delays and failures on request.</summary>
public sealed class TesterService(TesterProbe probe) : Tester.TesterBase
{
    public override Task<EchoReply> Act(EchoRequest request, ServerCallContext context) => Echo(request, context);

    public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        var call = probe.NextEchoCall();
        if (call <= probe.FailUnavailableTimes) throw new RpcException(new Status(StatusCode.Unavailable, $"not yet ({call})"));
        await DelayAsync(request.DelayMs, context);
        if (request.FailCode < 0) throw new InvalidOperationException("secret internals");
        if (request.FailCode != 0)
        {
            var trailers = new Metadata { { "failure-detail", "from-handler" }, { "failure-bin", [1, 2, 3, 250] } };
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage), trailers);
        }
        return Reply(request, context);
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        try
        {
            for (var i = 0; i < request.Count; i++)
            {
                await responseStream.WriteAsync(new EchoReply { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                if (request.IntervalMs > 0) await Task.Delay(request.IntervalMs, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            probe.HandlerCancelled.TrySetResult();
            throw;
        }
    }

    public override async Task<SumReply> Sum(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var call = probe.NextSumCall();
        if (call <= probe.FailUnavailableTimes) throw new RpcException(new Status(StatusCode.Unavailable, $"not yet ({call})"));
        var reply = new SumReply();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (request.FailCode != 0) throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
            reply.Count++;
            reply.Bytes += request.Payload.Length;
        }
        return reply;
    }

    public override async Task Chat(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(Reply(request, context));
        }
    }

    private async Task DelayAsync(int delayMs, ServerCallContext context)
    {
        if (delayMs <= 0) return;
        try
        {
            await Task.Delay(delayMs, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.HandlerCancelled.TrySetResult();
            throw;
        }
    }

    private static EchoReply Reply(EchoRequest request, ServerCallContext context)
    {
        var reply = new EchoReply
        {
            Text = request.Text,
            Payload = request.ReplySize > 0 ? ByteString.CopyFrom(new byte[request.ReplySize]) : request.Payload,
            DeadlineRemainingMs = context.Deadline == DateTime.MaxValue ? -1 : (long)(context.Deadline - DateTime.UtcNow).TotalMilliseconds,
        };
        foreach (var entry in context.RequestHeaders)
        {
            reply.Headers[entry.Key] = entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value;
        }
        return reply;
    }
}
