using System.Collections;
using System.Text;

namespace Grpc.Core;

/// <summary>Call headers or trailers: ordered key/value entries; keys ending in "-bin" carry binary values.</summary>
public sealed class Metadata : IList<Metadata.Entry>
{
    public const string BinaryHeaderSuffix = "-bin";

    /// <summary>An empty, read-only instance.</summary>
    public static readonly Metadata Empty = new Metadata().Freeze();

    private readonly List<Entry> _entries = [];
    private bool _readOnly;

    internal Metadata Freeze()
    {
        _readOnly = true;
        return this;
    }

    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Key == Entry.NormalizeKey(key)) return _entries[i];
        }
        return null;
    }

    public string? GetValue(string key) => Get(key)?.Value;

    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    public IEnumerable<Entry> GetAll(string key)
    {
        var normalized = Entry.NormalizeKey(key);
        return _entries.Where(e => e.Key == normalized);
    }

    public void Add(string key, string value) => Add(new Entry(key, value));

    public void Add(string key, byte[] valueBytes) => Add(new Entry(key, valueBytes));

    public void Add(Entry item)
    {
        CheckWritable();
        _entries.Add(item ?? throw new ArgumentNullException(nameof(item)));
    }

    public int IndexOf(Entry item) => _entries.IndexOf(item);

    public void Insert(int index, Entry item)
    {
        CheckWritable();
        _entries.Insert(index, item ?? throw new ArgumentNullException(nameof(item)));
    }

    public void RemoveAt(int index)
    {
        CheckWritable();
        _entries.RemoveAt(index);
    }

    public Entry this[int index]
    {
        get => _entries[index];
        set
        {
            CheckWritable();
            _entries[index] = value ?? throw new ArgumentNullException(nameof(value));
        }
    }

    public void Clear()
    {
        CheckWritable();
        _entries.Clear();
    }

    public bool Contains(Entry item) => _entries.Contains(item);

    public void CopyTo(Entry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    public int Count => _entries.Count;

    public bool IsReadOnly => _readOnly;

    public bool Remove(Entry item)
    {
        CheckWritable();
        return _entries.Remove(item);
    }

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    private void CheckWritable()
    {
        if (_readOnly) throw new InvalidOperationException("Metadata is read-only.");
    }

    /// <summary>One metadata entry. Keys are lower-cased; "-bin" keys hold bytes, the others ASCII text.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key)) throw new ArgumentException("Key for a string value must not end with -bin.", nameof(key));
            _value = value ?? throw new ArgumentNullException(nameof(value));
        }

        public Entry(string key, byte[] valueBytes)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key)) throw new ArgumentException("Key for a binary value must end with -bin.", nameof(key));
            _valueBytes = valueBytes ?? throw new ArgumentNullException(nameof(valueBytes));
        }

        public string Key { get; }

        public bool IsBinary => _valueBytes is not null;

        public string Value => _value ?? throw new InvalidOperationException("Binary entries have no string value; use ValueBytes.");

        public byte[] ValueBytes => _valueBytes ?? Encoding.ASCII.GetBytes(_value!);

        public override string ToString() => IsBinary ? $"[Entry: key={Key}, valueBytes={_valueBytes!.Length} bytes]" : $"[Entry: key={Key}, value={_value}]";

        internal static bool IsBinaryKey(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.Ordinal);

        internal static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            foreach (var c in key)
            {
                var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';
                if (!valid) throw new ArgumentException($"Metadata key '{key}' contains an invalid character; allowed: [0-9a-z_.-].", nameof(key));
            }
            return key.ToLowerInvariant();
        }
    }
}
