using Microsoft.Extensions.Configuration;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.TelemetryTailer;
using Platform.TelemetryTailer.Tailing;
using Platform.TestSupport;

namespace Platform.TailerBench;

/// <summary>The telemetry tailer, hosted in-process as its Program.cs hosts it, read by one /ws/telemetry client.</summary>
internal sealed class TailerPath(bool deflate) : IDeliveryPath
{
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private WebApplication? _app;
    private Task? _receiving;

    public string Name => deflate ? "tailer /ws/telemetry, permessage-deflate" : "tailer /ws/telemetry";

    public async Task StartAsync(string file, LineStamps stamps)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear(); // not the service's appsettings.json (its fixed Kestrel ports and NATS URL)
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddTelemetryTailer();
        builder.Services.PostConfigure<TelemetryTailerOptions>(o => o.Directory = Path.GetDirectoryName(file)!);
        _app = builder.Build();
        _app.MapTelemetryTailer();
        await _app.StartAsync();
        await _app.Services.GetRequiredService<DirectoryTailer>().Started;

        if (deflate) _socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        await _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/telemetry"), CancellationToken.None);
        await _socket.SendAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"subscribe\",\"sessionId\":\"{Path.GetFileNameWithoutExtension(file)}\"}}"), WebSocketMessageType.Text, true, CancellationToken.None);
        // Lines appended before the subscription is in place would not be delivered: wait for its confirmation.
        var reply = new byte[4096];
        var confirmation = await _socket.ReceiveAsync(reply, CancellationToken.None);
        if (!System.Text.Encoding.UTF8.GetString(reply, 0, confirmation.Count).Contains("\"subscribed\"", StringComparison.Ordinal))
            throw new InvalidOperationException("the tailer did not confirm the subscription");
        _receiving = ReceiveAsync(stamps);
    }

    private async Task ReceiveAsync(LineStamps stamps)
    {
        var buffer = new byte[1 << 20];
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) return;
                count += result.Count;
                if (!result.EndOfMessage) continue;
                stamps.Collect(buffer.AsSpan(0, count));
                count = 0;
            }
        }
        catch (OperationCanceledException)
        {
            // done
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_receiving is not null) await _receiving;
        _socket.Abort();
        _socket.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _stop.Dispose();
    }
}
