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

/// <summary>The test service: unary, server and client streams, with delays and failures on request.</summary>
public sealed class TesterService(TesterProbe probe) : Tester.TesterBase
{
    public override Task<EchoReply> Act(EchoRequest request, ServerCallContext context) => Echo(request, context);

    public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        var call = probe.NextEchoCall();
        if (call <= probe.FailUnavailableTimes) throw new RpcException(new Status(StatusCode.Unavailable, $"not yet ({call})"));
        if (request.DelayMs > 0)
        {
            try
            {
                await Task.Delay(request.DelayMs, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                probe.HandlerCancelled.TrySetResult();
                throw;
            }
        }
        if (request.FailCode != 0) throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
        return new EchoReply
        {
            Text = request.Text,
            Payload = request.Payload,
            DeadlineRemainingMs = context.Deadline == DateTime.MaxValue ? -1 : (long)(context.Deadline - DateTime.UtcNow).TotalMilliseconds,
        };
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
            await responseStream.WriteAsync(new EchoReply { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public override async Task<SumReply> Sum(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var call = probe.NextSumCall();
        if (call <= probe.FailUnavailableTimes) throw new RpcException(new Status(StatusCode.Unavailable, $"not yet ({call})"));
        var reply = new SumReply();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            reply.Count++;
            reply.Bytes += request.Payload.Length;
        }
        return reply;
    }
}
