using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Subjects;
using Platform.Contracts.Wire;
using NATS.Client.Core;
using Platform.ServiceDefaults.Nats;
using Platform.Transport.Clients;

namespace Platform.Transport.Signals;

/// <summary>
/// The <c>/ws/signals</c> clients: HERT frames from <c>telemetry.sim.state</c> for each subscription at its own rate,
/// events to all, and the schema to every client that has not had the current one.
/// </summary>
public sealed partial class SignalsHub : BackgroundService
{
    private readonly NatsSubscriptionLoop _runner;
    private readonly SchemaCache _schema;
    private readonly ILogger<SignalsHub> _logger;
    private readonly Lock _lock = new();
    private SignalsClient[] _clients = [];
    private bool _badState;

    public SignalsHub(NatsSubscriptionLoop runner, SchemaCache schema, ILogger<SignalsHub> logger)
    {
        _runner = runner;
        _schema = schema;
        _logger = logger;
        schema.Changed += OnSchemaChanged;
    }

    public IReadOnlyList<SignalsClient> Clients => Volatile.Read(ref _clients);

    public void Attach(SignalsClient client)
    {
        lock (_lock) _clients = [.. _clients, client];
    }

    public void Detach(SignalsClient client)
    {
        lock (_lock) _clients = [.. _clients.Where(c => c != client)];
    }

    public void Broadcast(byte[] json)
    {
        foreach (var client in Volatile.Read(ref _clients)) client.Send(json);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _runner.RunAsync(SubjectNames.SimState, OnState, stoppingToken);

    private void OnSchemaChanged(SchemaCache.Snapshot snapshot)
    {
        foreach (var client in Volatile.Read(ref _clients))
        {
            if (ReferenceEquals(client.SchemaSent, snapshot.Message)) continue;
            client.SchemaSent = snapshot.Message;
            client.Send(snapshot.Message);
        }
    }

    private ValueTask OnState(NatsMsg<byte[]> msg)
    {
        var clients = Volatile.Read(ref _clients);
        if (clients.Length == 0) return ValueTask.CompletedTask;
        var now = Stopwatch.GetTimestamp();
        SimStateMessage? state = null;
        foreach (var client in clients)
        {
            if (!client.TryTakeDue(now, out var subscription)) continue;
            state ??= Read(msg.Data);
            if (state is null) return ValueTask.CompletedTask;
            if (!ReferenceEquals(subscription!.ResolvedFor, state.Names) && !(subscription.ResolvedFor?.SequenceEqual(state.Names) ?? false))
            {
                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < state.Names.Count; i++) index.TryAdd(state.Names[i], i);
                subscription.Indices = [.. subscription.Signals.Select(n => index.GetValueOrDefault(n, -1))];
            }
            subscription.ResolvedFor = state.Names;
            var length = HertFrame.WritePooled((ulong)Math.Max(0, state.Frame), state.Time, state.Values, subscription.Indices, out var buffer);
            client.Connection.Outbox.OfferTelemetry(new Outbound(buffer, length, WebSocketMessageType.Binary, Pooled: true));
        }
        return ValueTask.CompletedTask;
    }

    private SimStateMessage? Read(byte[]? data)
    {
        try
        {
            var state = JsonSerializer.Deserialize(data ?? [], SubjectsJsonContext.Default.SimStateMessage);
            _badState = false;
            return state;
        }
        catch (JsonException ex)
        {
            if (!_badState) LogBadState(ex.Message);
            _badState = true;
            return null;
        }
    }

    public override void Dispose()
    {
        _schema.Changed -= OnSchemaChanged;
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unreadable telemetry.sim.state: {Error}; no HERT frames until one reads")]
    private partial void LogBadState(string error);
}
