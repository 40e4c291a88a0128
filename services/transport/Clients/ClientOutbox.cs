namespace Platform.Transport.Clients;

/// <summary>What happened to a video frame offered to a client.</summary>
public enum VideoOffer
{
    Queued,

    /// <summary>Not queued: the client waits for a keyframe (it just joined, or it fell behind); ask the encoder for one.</summary>
    NeedsKeyframe,

    /// <summary>Not queued: the client is closing.</summary>
    Closed,
}

/// <summary>
/// A client's bounded outbound queue, in three lanes that never wait on the producer's side:
/// control (replies, notices; the oldest dropped past the bound), telemetry (the oldest dropped past the bound) and
/// video (bounded in frames and bytes: past either bound the client skips whole frames until the next keyframe,
/// which then replaces whatever stale frames are still queued). A client starts waiting for a keyframe.
/// The writer takes control first, then telemetry and video in the order they were offered.
/// </summary>
public sealed class ClientOutbox(int maxVideoFrames, int maxVideoBytes, int maxTelemetry, int maxControl)
{
    private readonly Lock _lock = new();
    private readonly Queue<Outbound> _control = new();
    private readonly Queue<(long Seq, Outbound Message)> _telemetry = new();
    private readonly Queue<(long Seq, Outbound Message)> _video = new();
    private long _seq;
    private long _videoBytes;
    private bool _waitingForKeyframe = true;
    private bool _completed;
    private bool _everQueued;
    private long _droppedVideo;
    private long _droppedTelemetry;
    private long _droppedControl;
    private long _sentVideo;
    private TaskCompletionSource _signal = NewSignal();

    public long DroppedVideoFrames => Interlocked.Read(ref _droppedVideo);
    public long DroppedTelemetry => Interlocked.Read(ref _droppedTelemetry);
    public long DroppedControl => Interlocked.Read(ref _droppedControl);
    public long SentVideoFrames => Interlocked.Read(ref _sentVideo);

    public bool WaitingForKeyframe
    {
        get { lock (_lock) return _waitingForKeyframe; }
    }

    /// <summary>
    /// The client's decoder lost a frame: deltas are useless to it until the next keyframe, so skip them from now on
    /// (each skipped delta makes the hub ask the encoder again, past the per-stream throttle).
    /// </summary>
    public void WaitForKeyframe()
    {
        lock (_lock) _waitingForKeyframe = true;
    }

    /// <summary>Queues a video frame, or skips it (see the class); frames lost to a full queue are counted on the frame's meters.</summary>
    public VideoOffer OfferVideo(Outbound frame)
    {
        var offer = Enqueue(frame, out var dropped);
        if (dropped > 0) frame.Metrics?.SkippedBySlowClient(dropped);
        return offer;
    }

    private VideoOffer Enqueue(Outbound frame, out int dropped)
    {
        dropped = 0;
        lock (_lock)
        {
            if (_completed) return VideoOffer.Closed;
            var full = _video.Count >= maxVideoFrames || _videoBytes + frame.Length > maxVideoBytes;
            if (frame.Keyframe)
            {
                if (full)
                {
                    // Everything queued is older than this keyframe, and decoding can restart here: drop it all.
                    dropped = _video.Count;
                    _droppedVideo += dropped;
                    _video.Clear();
                    _videoBytes = 0;
                }
                _waitingForKeyframe = false;
            }
            else if (_waitingForKeyframe || full)
            {
                if (full && !_waitingForKeyframe) _waitingForKeyframe = true;
                if (_everQueued) dropped = 1; // frames before the first keyframe are not losses
                _droppedVideo += dropped;
                return VideoOffer.NeedsKeyframe;
            }
            _video.Enqueue((_seq++, frame));
            _everQueued = true;
            _videoBytes += frame.Length;
            Wake();
            return VideoOffer.Queued;
        }
    }

    /// <summary>Queues a telemetry message; a full lane drops its oldest.</summary>
    public void OfferTelemetry(Outbound message)
    {
        lock (_lock)
        {
            if (_completed)
            {
                message.Release();
                return;
            }
            if (_telemetry.Count >= maxTelemetry)
            {
                _telemetry.Dequeue().Message.Release();
                _droppedTelemetry++;
            }
            _telemetry.Enqueue((_seq++, message));
            Wake();
        }
    }

    /// <summary>Queues a reply or notice; a full lane drops its oldest.</summary>
    public void OfferControl(Outbound message)
    {
        lock (_lock)
        {
            if (_completed)
            {
                message.Release();
                return;
            }
            if (_control.Count >= maxControl)
            {
                _control.Dequeue().Release();
                _droppedControl++;
            }
            _control.Enqueue(message);
            Wake();
        }
    }

    /// <summary>The next message to send; with <paramref name="controlOnly"/> (closing) video and telemetry are skipped.</summary>
    public bool TryTake(bool controlOnly, out Outbound message)
    {
        lock (_lock)
        {
            if (_control.TryDequeue(out message)) return true;
            if (controlOnly) return false;
            var hasTelemetry = _telemetry.TryPeek(out var t);
            var hasVideo = _video.TryPeek(out var v);
            if (hasVideo && (!hasTelemetry || v.Seq < t.Seq))
            {
                _video.Dequeue();
                _videoBytes -= v.Message.Length;
                _sentVideo++;
                message = v.Message;
                return true;
            }
            if (hasTelemetry)
            {
                _telemetry.Dequeue();
                message = t.Message;
                return true;
            }
            message = default;
            return false;
        }
    }

    /// <summary>Completes when something was queued after the last call (or the outbox was completed).</summary>
    public Task WaitAsync()
    {
        lock (_lock)
        {
            if (_completed || _control.Count > 0 || _telemetry.Count > 0 || _video.Count > 0) return Task.CompletedTask;
            if (_signal.Task.IsCompleted) _signal = NewSignal();
            return _signal.Task;
        }
    }

    /// <summary>Refuses further messages and wakes the writer; pooled messages still queued are returned.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed) return;
            _completed = true;
            foreach (var (_, m) in _telemetry) m.Release();
            _telemetry.Clear();
            _video.Clear();
            _videoBytes = 0;
            Wake();
        }
    }

    /// <summary>Returns whatever is still queued to the pool (after the writer stopped).</summary>
    public void Drain()
    {
        lock (_lock)
        {
            foreach (var m in _control) m.Release();
            _control.Clear();
            foreach (var (_, m) in _telemetry) m.Release();
            _telemetry.Clear();
            _video.Clear();
        }
    }

    private void Wake() => _signal.TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
