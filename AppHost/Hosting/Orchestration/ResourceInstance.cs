using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Orchestration;

/// <summary>One replica of a resource during a run: its process, state, health and console lines.</summary>
internal sealed class ResourceInstance(IResource resource, int replica, int replicas, LogRing logs)
{
    private readonly Lock _gate = new();
    private string _state = KnownResourceStates.NotStarted;
    private string? _health;
    private string? _message;
    private int? _exitCode;
    private DateTimeOffset? _startedAt;
    private int _restartCount;

    public IResource Resource { get; } = resource;

    public int Replica { get; } = replica;

    /// <summary>The OpenTelemetry <c>service.instance.id</c>; stable across restarts within one run.</summary>
    public string InstanceId { get; } = $"{resource.Name}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8]}";

    /// <summary>The resource name, or the instance id when the resource has replicas.</summary>
    public string Name => replicas == 1 ? Resource.Name : InstanceId;

    public LogRing Logs { get; } = logs;

    public ChildProcess? Process { get; private set; }

    /// <summary>Exits in a row that came sooner than the stable run time after their start.</summary>
    public int QuickExitStreak { get; private set; }

    public string State
    {
        get { lock (_gate) return _state; }
    }

    public void Set(string state, string? message = null, string? health = null)
    {
        lock (_gate)
        {
            _state = state;
            _message = message;
            _health = health;
        }
    }

    public void SetHealth(string health, string? message)
    {
        lock (_gate)
        {
            if (_state is KnownResourceStates.Stopping) return;
            if (health == HealthStatus.Healthy) _state = KnownResourceStates.Running;
            _health = health;
            _message = message;
        }
    }

    public void Started(ChildProcess process, bool isRestart)
    {
        lock (_gate)
        {
            Process = process;
            _state = KnownResourceStates.Starting;
            _health = null;
            _message = null;
            _exitCode = null;
            _startedAt = DateTimeOffset.UtcNow;
            if (isRestart) _restartCount++;
        }
    }

    public void Exited(int exitCode, TimeSpan stableRunTime)
    {
        lock (_gate)
        {
            var ran = DateTimeOffset.UtcNow - (_startedAt ?? DateTimeOffset.UtcNow);
            QuickExitStreak = ran < stableRunTime ? QuickExitStreak + 1 : 1;
            _exitCode = exitCode;
            _health = null;
            Process = null;
        }
    }

    public void FailedToStart(string message)
    {
        lock (_gate)
        {
            QuickExitStreak++;
            _state = KnownResourceStates.FailedToStart;
            _message = message;
            _startedAt = DateTimeOffset.UtcNow;
        }
    }

    public ResourceSnapshot Snapshot()
    {
        var endpoints = Resource.Annotations.OfType<EndpointAnnotation>()
            .Where(e => e.AllocatedPorts.Count > Replica)
            .Select(e => new ResourceEndpointSnapshot(e.Name, e.GetUrl(Replica), e.Transport, e.IsExternal))
            .ToList();
        var waits = Resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Target.Name).ToList();
        lock (_gate)
        {
            return new ResourceSnapshot(Name, Resource.Name, TypeName(Resource), Replica, _state, _health, Process?.Pid, _restartCount,
                _exitCode, _startedAt, _message, endpoints, waits);
        }
    }

    private static string TypeName(IResource resource) => resource switch
    {
        ProjectResource => "Project",
        NatsServerResource => "NATS",
        _ => "Executable",
    };
}
