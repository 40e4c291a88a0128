namespace Platform.TelemetryTailer.Tailing;

/// <summary>The last records of a session, bounded both in count and in bytes (the newest record is always kept).</summary>
public sealed class RecordRing(int capacity, long maxBytes)
{
    private readonly TailRecord[] _items = new TailRecord[Math.Max(1, capacity)];
    private int _head; // index of the oldest
    private long _bytes;

    public int Count { get; private set; }
    public long Bytes => _bytes;
    public TailRecord? Latest => Count == 0 ? null : _items[(_head + Count - 1) % _items.Length];

    public void Add(TailRecord record)
    {
        if (Count == _items.Length) RemoveOldest();
        _items[(_head + Count) % _items.Length] = record;
        Count++;
        _bytes += record.Utf8.Length;
        while (_bytes > maxBytes && Count > 1) RemoveOldest();
    }

    /// <summary>The newest <paramref name="lastN"/> records that satisfy <paramref name="filter"/>, oldest first.</summary>
    public TailRecord[] Last(int lastN, IReadOnlyList<ThresholdRule>? filter)
    {
        var picked = new List<TailRecord>(Math.Min(lastN, Count));
        for (var i = Count - 1; i >= 0 && picked.Count < lastN; i--)
        {
            var record = _items[(_head + i) % _items.Length];
            if (filter is null || ThresholdRule.All(filter, record.Data)) picked.Add(record);
        }
        picked.Reverse();
        return [.. picked];
    }

    private void RemoveOldest()
    {
        _bytes -= _items[_head].Utf8.Length;
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        Count--;
    }
}
