namespace Platform.TelemetryTailer.Tailing;

/// <summary>
/// One session: its file's tail, its emergency state, and the batch being built from the lines read.
/// A batch goes to the hub when it is full and at the end of every read.
/// </summary>
public sealed class TailedSession : ILineSink, IDisposable
{
    private readonly TelemetryHub _hub;
    private readonly EmergencyDetector _emergencies;
    private readonly int _maxBatchRecords;
    private readonly int _maxLineBytes;
    private readonly string _fileName;
    private List<TailRecord> _records = [];
    private List<TailError> _errors = [];
    private List<EmergencyEvent> _emergencyEvents = [];

    public TailedSession(string path, TelemetryTailerOptions options, IReadOnlyList<ThresholdRule> emergencyRules, TelemetryHub hub)
    {
        SessionId = SessionIdOf(path);
        Tail = new FileTail(path, options.MaxLineBytes);
        _hub = hub;
        _emergencies = new EmergencyDetector(emergencyRules);
        _maxBatchRecords = Math.Max(1, options.MaxBatchRecords);
        _maxLineBytes = options.MaxLineBytes;
        _fileName = System.IO.Path.GetFileName(path);
    }

    public string SessionId { get; }
    public FileTail Tail { get; }

    public static string SessionIdOf(string path) => System.IO.Path.GetFileNameWithoutExtension(path);

    /// <summary>Reads what is new and publishes it; returns what the read found.</summary>
    public TailReadResult ReadAndPublish(int maxBytes)
    {
        var result = Tail.Read(this, maxBytes);
        Flush();
        return result;
    }

    void ILineSink.OnLine(ReadOnlySpan<byte> line, long lineNumber)
    {
        if (LineDecoder.IsBlank(line)) return;
        if (!LineDecoder.TryValidate(line, out var hasEmergencyObject, out var error))
        {
            AddError(lineNumber, error!);
            return;
        }
        var record = new TailRecord(SessionId, lineNumber, line.ToArray(), hasEmergencyObject);
        _records.Add(record);
        if (_emergencies.Inspect(record) is { } emergency) _emergencyEvents.Add(emergency);
        if (_records.Count >= _maxBatchRecords) Flush();
    }

    void ILineSink.OnOversizedLine(long lineNumber, long length)
        => AddError(lineNumber, $"line of {length} bytes exceeds the limit of {_maxLineBytes} bytes");

    private void AddError(long lineNumber, string reason)
    {
        _errors.Add(new TailError(SessionId, _fileName, lineNumber, reason));
        if (_errors.Count >= _maxBatchRecords) Flush();
    }

    private void Flush()
    {
        if (_records.Count == 0 && _errors.Count == 0) return;
        _hub.Publish(new SessionBatch(SessionId, _records, _errors, _emergencyEvents));
        _records = [];
        _errors = [];
        _emergencyEvents = [];
    }

    public void Dispose() => Tail.Dispose();
}
