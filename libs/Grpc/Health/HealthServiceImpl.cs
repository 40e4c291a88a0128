using Grpc.AspNetCore.Server.Internal;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Grpc.AspNetCore.HealthChecks;

/// <summary>grpc.health.v1.Health fed by the app's <see cref="HealthCheckService"/>: Healthy or Degraded = SERVING.</summary>
internal sealed class HealthServiceImpl(HealthCheckService healthChecks, GrpcServiceRegistry registry, IOptions<GrpcHealthChecksOptions> options) : Grpc.Health.V1.Health.HealthBase
{
    private static readonly Func<HealthCheckRegistration, bool> AllChecks = _ => true;

    public override async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        var predicate = Find(request.Service)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Service '{request.Service}' is unknown to the health service."));
        return new HealthCheckResponse { Status = await EvaluateAsync(predicate, context.CancellationToken).ConfigureAwait(false) };
    }

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        HealthCheckResponse.Types.ServingStatus? last = null;
        using var timer = new PeriodicTimer(options.Value.WatchInterval);
        try
        {
            do
            {
                var predicate = Find(request.Service);
                var status = predicate is null ? HealthCheckResponse.Types.ServingStatus.ServiceUnknown : await EvaluateAsync(predicate, token).ConfigureAwait(false);
                if (status != last)
                {
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, token).ConfigureAwait(false);
                    last = status;
                }
            }
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The watcher went away or its deadline passed: that is how a Watch ends.
        }
    }

    private Func<HealthCheckRegistration, bool>? Find(string service)
    {
        if (options.Value.Services.TryGetValue(service, out var predicate)) return predicate;
        return service.Length == 0 || registry.HasService(service) ? AllChecks : null;
    }

    private async Task<HealthCheckResponse.Types.ServingStatus> EvaluateAsync(Func<HealthCheckRegistration, bool> predicate, CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(predicate, cancellationToken).ConfigureAwait(false);
        return report.Status == HealthStatus.Unhealthy ? HealthCheckResponse.Types.ServingStatus.NotServing : HealthCheckResponse.Types.ServingStatus.Serving;
    }
}
