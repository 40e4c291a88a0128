using System.Diagnostics;

namespace Platform.TransportBench;

/// <summary>What one receiver saw in the measured window: frames, publish → receive latencies, order.</summary>
internal sealed class Receiver
{
    private readonly Lock _lock = new();
    private readonly List<double> _latencies = new(1024);
    private bool _measuring;
    private ulong _lastFrame;
    private ulong _firstFrame;

    public int Frames { get; private set; }
    public int OutOfOrder { get; private set; }

    /// <summary>Counts frames from <paramref name="firstFrame"/> on (those still in flight from before do not count).</summary>
    public void Start(ulong firstFrame)
    {
        lock (_lock)
        {
            _measuring = true;
            _firstFrame = firstFrame;
            Frames = 0;
            _latencies.Clear();
        }
    }

    public void Stop()
    {
        lock (_lock) _measuring = false;
    }

    public void OnFrame(ulong frameId, long publishedAt)
    {
        var latency = Stopwatch.GetElapsedTime(publishedAt).TotalMilliseconds;
        lock (_lock)
        {
            if (frameId <= _lastFrame) OutOfOrder++;
            _lastFrame = frameId;
            if (!_measuring || frameId < _firstFrame) return;
            Frames++;
            _latencies.Add(latency);
        }
    }

    public IReadOnlyList<double> Latencies
    {
        get { lock (_lock) return [.. _latencies]; }
    }
}
