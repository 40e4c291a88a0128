using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Platform.Grpc.Shared;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>The part of every call that does not depend on its shape: validation, activation, deadline, status, telemetry.</summary>
internal abstract class ServerCallHandlerBase<TService, TRequest, TResponse>
    where TService : class where TRequest : class where TResponse : class
{
    protected ServerCallHandlerBase(Method<TRequest, TResponse> method, GrpcServiceOptions options, ILogger logger)
    {
        Method = method;
        Options = options;
        Logger = logger;
    }

    public Method<TRequest, TResponse> Method { get; }
    protected GrpcServiceOptions Options { get; }
    protected ILogger Logger { get; }

    public Task HandleCallAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            return GrpcResponse.RejectAsync(httpContext, StatusCodes.Status415UnsupportedMediaType,
                new Status(StatusCode.Internal, $"Content-Type '{request.ContentType}' is not supported; send application/grpc."));
        }
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            return GrpcResponse.RejectAsync(httpContext, StatusCodes.Status426UpgradeRequired,
                new Status(StatusCode.Internal, $"Request protocol '{request.Protocol}' is not supported; gRPC needs HTTP/2."));
        }
        return HandleGrpcCallAsync(httpContext);
    }

    private async Task HandleGrpcCallAsync(HttpContext httpContext)
    {
        var started = Stopwatch.GetTimestamp();
        var headers = httpContext.Request.Headers;
        var activity = GrpcDiagnostics.StartServerActivity(Method,
            headers.TryGetValue(GrpcProtocol.TraceParentHeader, out var tp) ? tp.ToString() : null,
            headers.TryGetValue(GrpcProtocol.TraceStateHeader, out var ts) ? ts.ToString() : null);
        GrpcDiagnostics.ServerCallStarted();
        using var call = new HttpContextServerCallContext(httpContext, Method, Options, Logger);
        Status status;
        try
        {
            call.Initialize();
            var (service, created) = ServiceActivator<TService>.Create(httpContext.RequestServices);
            try
            {
                await HandleCoreAsync(call, service).ConfigureAwait(false);
            }
            finally
            {
                if (created) await ServiceActivator<TService>.ReleaseAsync(service).ConfigureAwait(false);
            }
            status = call.StatusAfterHandler();
        }
        catch (Exception ex)
        {
            status = call.StatusFromException(ex);
        }
        call.EndCall(status);
        GrpcDiagnostics.ServerCallEnded(Method, status.StatusCode, started, activity);
    }

    protected abstract Task HandleCoreAsync(HttpContextServerCallContext call, TService service);

    /// <summary>Reads the single request message of a unary or server-streaming call, and the end of the request.</summary>
    protected async Task<TRequest> ReadSingleRequestAsync(HttpContextServerCallContext call)
    {
        var reader = call.HttpContext.Request.BodyReader;
        var (read, request) = await MessageFraming.ReadMessageAsync(
            reader, Method.RequestMarshaller.ContextualDeserializer, Options.MaxReceiveMessageSize, "request", call.CancellationToken).ConfigureAwait(false);
        if (!read) throw new RpcException(new Status(StatusCode.Internal, "The request ended without a message."));
        await MessageFraming.ReadToEndAsync(reader, "request", call.CancellationToken).ConfigureAwait(false);
        return request;
    }

    /// <summary>Writes the single response of a unary or client-streaming call; Kestrel sends it with the trailers.</summary>
    protected void WriteSingleResponse(HttpContextServerCallContext call, TResponse? response)
    {
        if (call.DeadlineExceeded || call.Status.StatusCode != StatusCode.OK) return;
        if (response is null) throw new RpcException(new Status(StatusCode.Internal, "The handler returned no response message."));
        FramingSerializationContext.Write(call.HttpContext.Response.BodyWriter, Method.ResponseMarshaller, response, Options.MaxSendMessageSize, "response");
        call.BodyWritten = true;
    }

    protected HttpContextStreamReader<TRequest> CreateReader(HttpContextServerCallContext call) =>
        new(call, Method.RequestMarshaller.ContextualDeserializer, Options.MaxReceiveMessageSize);

    protected HttpContextStreamWriter<TResponse> CreateWriter(HttpContextServerCallContext call) =>
        new(call, Method.ResponseMarshaller, Options.MaxSendMessageSize);
}
