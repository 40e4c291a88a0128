using System.Net;
using System.Net.WebSockets;

namespace Platform.TestSupport;

/// <summary>A WebSocket upgrade as a browser page of some origin (or a tool, with none) would make it.</summary>
public static class WebSocketUpgrade
{
    /// <summary>
    /// Opens <paramref name="url"/> with <paramref name="origin"/> as its Origin header (none when null) and closes it
    /// again; the HTTP status of the handshake: 101 when the server accepted it.
    /// </summary>
    public static async Task<HttpStatusCode> StatusAsync(Uri url, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0)
        {
            return socket.HttpStatusCode;
        }
        socket.Abort();
        return socket.HttpStatusCode;
    }
}
