using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Contracts.Subjects;
using NATS.Client.Core;

namespace Platform.Transport.Signals;

/// <summary>
/// The sim's schema (<c>telemetry.sim.schema</c> request/reply), asked for at start and every
/// <see cref="TransportOptions.SchemaRefreshInterval"/>; <see cref="Changed"/> fires when a reply differs from the last.
/// </summary>
public sealed partial class SchemaCache(INatsConnection nats, IOptions<TransportOptions> options, ILogger<SchemaCache> logger) : BackgroundService
{
    private volatile Snapshot? _current;
    private bool _failing;

    public sealed record Snapshot(SimSchemaMessage Schema, byte[] Message);

    public Snapshot? Current => _current;

    public event Action<Snapshot>? Changed;

    /// <summary>The cached schema, or a fresh request when there is none yet; null when the sim does not answer.</summary>
    public async Task<Snapshot?> GetAsync(CancellationToken cancellationToken)
        => _current ?? await RefreshAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.Value.SchemaRefreshInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: a request in flight ends here, not as a failed background service
        }
    }

    private async Task<Snapshot?> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reply = await nats.RequestAsync<byte[], byte[]>(SubjectNames.SimSchema, [],
                replyOpts: new NatsSubOpts { Timeout = options.Value.SchemaRequestTimeout }, cancellationToken: cancellationToken).ConfigureAwait(false);
            reply.EnsureSuccess();
            var schema = JsonSerializer.Deserialize(reply.Data ?? [], SubjectsJsonContext.Default.SimSchemaMessage)
                ?? throw new JsonException("the reply is null");
            var message = SignalsMessages.Schema(schema);
            var previous = _current;
            if (previous is not null && previous.Message.AsSpan().SequenceEqual(message)) return previous;
            var snapshot = new Snapshot(schema, message);
            _current = snapshot;
            if (_failing) LogRecovered();
            _failing = false;
            Changed?.Invoke(snapshot);
            return snapshot;
        }
        catch (Exception ex) when (ex is NatsException or JsonException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            if (!_failing) LogUnavailable(ex.Message);
            _failing = true;
            return _current;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No schema from the sim on telemetry.sim.schema: {Error} (is sim-runner running?); /ws/signals clients get it when it answers")]
    private partial void LogUnavailable(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "The sim answers telemetry.sim.schema again")]
    private partial void LogRecovered();
}
