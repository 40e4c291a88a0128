using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;

namespace Platform.Grpc.Tests;

/// <summary>Hand-made gRPC requests over HttpClient (HTTP/2 prior knowledge), for bad input and protocol checks.</summary>
internal static class RawGrpc
{
    public static HttpClient CreateClient() => new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) };

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public static byte[] Frame(byte[] payload, byte compressed = 0, uint? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string address, string path, byte[] body,
        string contentType = "application/grpc", (string Name, string Value)[]? extraHeaders = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, address + path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in extraHeaders ?? []) request.Headers.TryAddWithoutValidation(name, value);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Reads the body to the end and returns the grpc-status (from the headers for Trailers-Only, else from the trailers).</summary>
    public static async Task<(StatusCode Status, string Message)> ReadStatusAsync(HttpResponseMessage response)
    {
        await response.Content.ReadAsByteArrayAsync();
        var source = response.Headers.Contains("grpc-status") ? (HttpHeaders)response.Headers : response.TrailingHeaders;
        Assert.True(source.TryGetValues("grpc-status", out var codes), $"no grpc-status (HTTP {(int)response.StatusCode})");
        var message = source.TryGetValues("grpc-message", out var messages) ? messages.First() : "";
        return ((StatusCode)int.Parse(codes.First(), CultureInfo.InvariantCulture), message);
    }
}
