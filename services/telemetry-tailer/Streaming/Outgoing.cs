using Platform.TelemetryTailer.Tailing;

namespace Platform.TelemetryTailer.Streaming;

/// <summary>An item in a client's queue; it becomes WebSocket messages on that client's send loop.</summary>
public abstract class Outgoing
{
    /// <summary>Records it carries (what a drop of it loses).</summary>
    public virtual int Records => 0;

    public abstract void AddMessages(List<byte[]> messages);
}

/// <summary>A batch for one client: shared serialized messages when unfiltered, its own subset otherwise.</summary>
public sealed class BatchOutgoing(SessionBatch batch, IReadOnlyList<ThresholdRule>? filter) : Outgoing
{
    public override int Records => batch.Records.Count;

    public override void AddMessages(List<byte[]> messages)
    {
        if (batch.Records.Count > 0)
        {
            if (filter is null)
            {
                messages.Add(batch.TelemetryMessage);
            }
            else
            {
                var picked = batch.Records.Where(r => ThresholdRule.All(filter, r.Data)).ToList();
                if (picked.Count > 0) messages.Add(WireMessages.Telemetry(batch.SessionId, picked, history: false));
            }
        }
        if (batch.Errors.Count > 0) messages.AddRange(batch.ErrorMessages);
        if (batch.Emergencies.Count > 0) messages.AddRange(batch.EmergencyMessages);
    }
}

/// <summary>History sent on subscribe: a telemetry message flagged <c>history: true</c>.</summary>
public sealed class HistoryOutgoing(string sessionId, TailRecord[] records) : Outgoing
{
    public override int Records => records.Length;

    public override void AddMessages(List<byte[]> messages) => messages.Add(WireMessages.Telemetry(sessionId, records, history: true));
}

/// <summary>A message already serialized (replies, notices).</summary>
public sealed class MessageOutgoing(byte[] message) : Outgoing
{
    public override void AddMessages(List<byte[]> messages) => messages.Add(message);
}
