using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.TelemetryTailer.Tailing;

/// <summary>
/// Tails every <c>*.jsonl</c> file of the configured folder, one session per file. FileSystemWatcher events are
/// hints that make a file be read at once; a periodic scan finds new and deleted files and reads every file whose
/// events were missed. All reading happens on this one loop.
/// </summary>
public sealed partial class DirectoryTailer(IOptions<TelemetryTailerOptions> options, TelemetryHub hub, ILogger<DirectoryTailer> logger) : BackgroundService
{
    private readonly TelemetryTailerOptions _options = options.Value;
    private readonly IReadOnlyList<ThresholdRule> _rules = [.. options.Value.EmergencyRules.Select(ThresholdRule.FromOptions)];
    private readonly Dictionary<string, TailedSession> _sessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _backlog = new(StringComparer.Ordinal); // files whose last pass stopped at the per-pass limit
    private readonly Channel<string> _hints = Channel.CreateBounded<string>(new BoundedChannelOptions(4096)
    {
        FullMode = BoundedChannelFullMode.DropWrite, // a lost hint is caught by the next scan
        SingleReader = true,
    });
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The folder tailed (absolute).</summary>
    public string Folder { get; } = Path.GetFullPath(options.Value.Directory);

    /// <summary>Completes once the folder was scanned the first time.</summary>
    public Task Started => _started.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        Directory.CreateDirectory(Folder);
        using var watcher = _options.UseFileSystemWatcher ? CreateWatcher() : null;
        LogTailing(Folder, _options.ScanInterval.TotalMilliseconds, watcher is not null);
        Scan(startup: true);
        _started.TrySetResult();
        var nextScan = DateTime.UtcNow + _options.ScanInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var more = ReadHinted();
                if (DateTime.UtcNow >= nextScan)
                {
                    more |= Scan(startup: false);
                    nextScan = DateTime.UtcNow + _options.ScanInterval;
                }
                if (more) continue; // a file had more than one pass's worth: go on without waiting
                var wait = nextScan - DateTime.UtcNow;
                if (wait <= TimeSpan.Zero) continue;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(wait);
                try
                {
                    await _hints.Reader.WaitToReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // time to scan
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            foreach (var session in _sessions.Values) session.Dispose();
            _sessions.Clear();
        }
    }

    private FileSystemWatcher CreateWatcher()
    {
        var watcher = new FileSystemWatcher(Folder, "*.jsonl")
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            IncludeSubdirectories = false,
            InternalBufferSize = 64 * 1024,
        };
        FileSystemEventHandler hint = (_, e) => _hints.Writer.TryWrite(e.FullPath);
        watcher.Changed += hint;
        watcher.Created += hint;
        watcher.Deleted += hint;
        watcher.Renamed += (_, e) =>
        {
            _hints.Writer.TryWrite(e.OldFullPath);
            _hints.Writer.TryWrite(e.FullPath);
        };
        watcher.Error += (_, e) => LogWatcherError(e.GetException());
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    /// <summary>Reads the files named by hints and the files left with unread bytes by their last pass.</summary>
    private bool ReadHinted()
    {
        if (_backlog.Count == 0 && !_hints.Reader.TryPeek(out _)) return false;
        var paths = new HashSet<string>(_backlog, StringComparer.Ordinal);
        _backlog.Clear();
        while (_hints.Reader.TryRead(out var path)) paths.Add(path);
        foreach (var path in paths)
        {
            if (!IsTelemetryFile(path)) continue;
            if (_sessions.TryGetValue(path, out var session)) Read(session);
            else if (File.Exists(path)) Read(Add(path, startup: false));
        }
        return _backlog.Count > 0;
    }

    /// <summary>Adds files that appeared, ends sessions whose file is gone, reads every file.</summary>
    private bool Scan(bool startup)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var path in Directory.EnumerateFiles(Folder, "*.jsonl"))
            {
                if (IsTelemetryFile(path)) present.Add(path);
            }
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Folder);
        }
        foreach (var path in _sessions.Keys.Where(p => !present.Contains(p)).ToList()) End(_sessions[path], "file deleted");
        foreach (var path in present) Read(_sessions.TryGetValue(path, out var known) ? known : Add(path, startup));
        return _backlog.Count > 0;
    }

    private static bool IsTelemetryFile(string path) => path.EndsWith(".jsonl", StringComparison.Ordinal);

    private TailedSession Add(string path, bool startup)
    {
        var session = new TailedSession(path, _options, _rules, hub);
        if (startup) session.Tail.StartNearEnd(_options.InitialTailBytes);
        _sessions[path] = session;
        hub.OpenSession(session.SessionId, Path.GetFileName(path));
        LogSessionStarted(session.SessionId, path, session.Tail.Offset);
        return session;
    }

    /// <summary>One bounded pass over a file; a file with more to read goes on the backlog for the next pass.</summary>
    private void Read(TailedSession session)
    {
        TailReadResult result;
        try
        {
            result = session.ReadAndPublish(_options.MaxReadBytesPerPass);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogReadFailed(ex, session.Tail.Path);
            return;
        }
        switch (result.Change)
        {
            case FileChange.Missing:
                End(session, "file deleted");
                return;
            case FileChange.Truncated or FileChange.Replaced:
                LogRestarted(session.SessionId, result.Change);
                break;
        }
        if (result.MorePending) _backlog.Add(session.Tail.Path);
    }

    private void End(TailedSession session, string reason)
    {
        _sessions.Remove(session.Tail.Path);
        _backlog.Remove(session.Tail.Path);
        session.Dispose();
        hub.CloseSession(session.SessionId, reason);
        LogSessionEnded(session.SessionId, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tailing {Folder} for *.jsonl (scan every {ScanMs} ms, watcher {Watcher})")]
    private partial void LogTailing(string folder, double scanMs, bool watcher);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} started: {Path} from offset {Offset}")]
    private partial void LogSessionStarted(string sessionId, string path, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} ended: {Reason}")]
    private partial void LogSessionEnded(string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} file {Change}: reading it again from the start")]
    private partial void LogRestarted(string sessionId, FileChange change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Path} failed; it is retried on the next hint or scan")]
    private partial void LogReadFailed(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File watcher error; the periodic scan keeps the tail going")]
    private partial void LogWatcherError(Exception exception);
}
