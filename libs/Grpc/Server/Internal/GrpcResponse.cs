using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Platform.Grpc.Shared;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>Writes a call's status: into the headers (Trailers-Only) while nothing was sent, otherwise as trailers.</summary>
internal static class GrpcResponse
{
    public static void PrepareHeaders(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
    }

    public static void SetStatus(HttpResponse response, Status status, Metadata? trailers, bool bodyWritten = false)
    {
        if (!response.HasStarted && !bodyWritten)
        {
            var headers = response.Headers;
            headers[GrpcProtocol.StatusHeader] = StatusCodeText(status.StatusCode);
            if (!string.IsNullOrEmpty(status.Detail)) headers[GrpcProtocol.MessageHeader] = StatusMessageEncoding.Encode(status.Detail);
            if (trailers is not null)
            {
                foreach (var entry in trailers) headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
            return;
        }
        if (!response.SupportsTrailers()) return;
        response.AppendTrailer(GrpcProtocol.StatusHeader, StatusCodeText(status.StatusCode));
        if (!string.IsNullOrEmpty(status.Detail)) response.AppendTrailer(GrpcProtocol.MessageHeader, StatusMessageEncoding.Encode(status.Detail));
        if (trailers is not null)
        {
            foreach (var entry in trailers) response.AppendTrailer(entry.Key, MetadataHeaders.ToHeaderValue(entry));
        }
    }

    /// <summary>Answers a request that is not a gRPC call we can serve, before any handler runs.</summary>
    public static Task RejectAsync(HttpContext context, int httpStatus, Status status)
    {
        var response = context.Response;
        response.StatusCode = httpStatus;
        response.ContentType = GrpcProtocol.ContentType;
        SetStatus(response, status, null);
        return Task.CompletedTask;
    }

    private static readonly string[] CodeTexts = Enumerable.Range(0, 17).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string StatusCodeText(StatusCode code) =>
        (uint)code < (uint)CodeTexts.Length ? CodeTexts[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
