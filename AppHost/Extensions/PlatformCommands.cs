using Aspire.Hosting.ApplicationModel;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Contracts.Encoder.V1;
using Platform.Contracts.Safety.V1;

namespace Aspire.Hosting;

/// <summary>The platform's own commands and links in the dashboard, next to Start/Stop/Restart.</summary>
internal static class PlatformCommands
{
    /// <summary>The stream the sim renders (SimRunner:Video:Stream), whose keyframe the command asks for.</summary>
    public const string VideoStream = "main";

    /// <summary>E-STOP (at once) and Clear E-STOP (after a confirmation) on the safety authority, over its gRPC API.</summary>
    public static IResourceBuilder<ProjectResource> WithSafetyCommands(this IResourceBuilder<ProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var grpc = builder.GetEndpoint("grpc");
        return builder
            .WithCommand("estop", "E-STOP", context => CallAsync(grpc, async channel =>
            {
                var state = await new SafetyAuthority.SafetyAuthorityClient(channel)
                    .EstopAsync(new EstopRequest { Reason = "E-STOP from the dashboard", Source = "dashboard" }, cancellationToken: context.CancellationToken);
                return CommandResults.Success($"Mode {state.Mode} since {DateTimeOffset.FromUnixTimeMilliseconds(state.SinceMs):HH:mm:ss} UTC: {state.Reason}");
            }), new CommandOptions
            {
                Description = "Latch ESTOP: the robot stops until an operator clears it.",
                IconName = "Stop",
                IsHighlighted = true,
                UpdateState = WhenHealthy,
            })
            .WithCommand("clear-estop", "Clear E-STOP", context => CallAsync(grpc, async channel =>
            {
                var reply = await new SafetyAuthority.SafetyAuthorityClient(channel)
                    .ClearEstopAsync(new ClearEstopRequest { Operator = "dashboard" }, cancellationToken: context.CancellationToken);
                return reply.Cleared
                    ? CommandResults.Success($"ESTOP cleared: mode {reply.State.Mode}")
                    : CommandResults.Failure($"ESTOP not cleared: {reply.Reason}");
            }), new CommandOptions
            {
                Description = "Lift a latched ESTOP (refused while a safety gate is active).",
                ConfirmationMessage = "Clear the E-STOP? The robot may move again as soon as no safety gate holds it.",
                IconName = "Play",
                UpdateState = WhenHealthy,
            });
    }

    /// <summary>Request keyframe on the encoder: the next live frame of the sim's stream is an IDR.</summary>
    public static IResourceBuilder<ProjectResource> WithKeyframeCommand(this IResourceBuilder<ProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var grpc = builder.GetEndpoint("grpc");
        return builder.WithCommand("request-keyframe", "Request keyframe", context => CallAsync(grpc, async channel =>
        {
            var reply = await new Encoder.EncoderClient(channel)
                .RequestKeyframeAsync(new RequestKeyframeRequest { Stream = VideoStream, Reason = "dashboard" }, cancellationToken: context.CancellationToken);
            return reply.Accepted
                ? CommandResults.Success($"Keyframe expected at frame {reply.FrameId}")
                : CommandResults.Failure($"Throttled: the last keyframe was frame {reply.FrameId}; try again in a moment");
        }), new CommandOptions
        {
            Description = $"Make the next frame of video stream '{VideoStream}' a keyframe.",
            IconName = "Image",
            UpdateState = WhenHealthy,
        });
    }

    /// <summary>The viewer page as the transport's link in the dashboard.</summary>
    public static IResourceBuilder<ProjectResource> WithViewerLink(this IResourceBuilder<ProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithUrlForEndpoint("http", url => url.DisplayText = "Viewer");
    }

    private static ResourceCommandState WhenHealthy(UpdateCommandStateContext context)
        => context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> CallAsync(EndpointReference grpc, Func<GrpcChannel, Task<ExecuteCommandResult>> call)
    {
        using var channel = GrpcChannel.ForAddress(grpc.Url);
        try
        {
            return await call(channel).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            return CommandResults.Failure($"{ex.StatusCode}: {ex.Status.Detail}");
        }
    }
}
