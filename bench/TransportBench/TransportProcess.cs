using System.Diagnostics;
using Platform.TestSupport;

namespace Platform.TransportBench;

/// <summary>The built transport service (services/transport/bin/&lt;config&gt;) as a child process on free loopback ports.</summary>
internal sealed class TransportProcess : IAsyncDisposable
{
    private readonly Process _process;

    private TransportProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int ProcessId => _process.Id;

    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<TransportProcess> StartAsync(string natsUrl)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<config>/net10.0/
        var folder = Path.Combine(RepoPaths.Root, "services", "transport", "bin", configuration, "net10.0");
        var dll = Path.Combine(folder, "Platform.Transport.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build bench/TransportBench (it builds the transport).");
        var port = FreePort.Next();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.Environment["ConnectionStrings__nats"] = natsUrl;
        psi.Environment["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{port}";
        psi.Environment["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{FreePort.Next()}";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        // Every bench client connects from this one address, hundreds within the connection rate limit's window.
        psi.Environment["BrowserEdge__ConnectionPermitLimit"] = "100000";
        psi.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("the transport did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[transport] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var transport = new TransportProcess(process, port);
        using var http = new HttpClient();
        await Eventually.WaitAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"the transport exited with {process.ExitCode}");
            try
            {
                return (await http.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the transport's /health", TimeSpan.FromSeconds(30));
        return transport;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
