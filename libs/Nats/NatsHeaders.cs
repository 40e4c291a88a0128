using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Primitives;

namespace Platform.Nats;

/// <summary>
/// NATS message headers (ADR-4): case-preserving names, repeated names allowed (one value per line).
/// A status line (<c>NATS/1.0 503</c>) shows up as <see cref="Code"/> and <see cref="Message"/>.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "Name kept from NATS.Net v2 so a swap is a small change.")]
public sealed class NatsHeaders : IDictionary<string, StringValues>
{
    private readonly Dictionary<string, StringValues> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Status code from the header's version line (0 when there is none).</summary>
    public int Code { get; init; }

    /// <summary>Status description from the version line (e.g. "Request Timeout").</summary>
    public string? Message { get; init; }

    public StringValues this[string key]
    {
        get => _values.TryGetValue(key, out var v) ? v : StringValues.Empty;
        set
        {
            HeaderValidation.ValidateName(key);
            foreach (var s in value) HeaderValidation.ValidateValue(key, s);
            _values[key] = value;
        }
    }

    public ICollection<string> Keys => _values.Keys;
    public ICollection<StringValues> Values => _values.Values;
    public int Count => _values.Count;
    public bool IsReadOnly => false;

    public void Add(string key, StringValues value)
    {
        HeaderValidation.ValidateName(key);
        foreach (var s in value) HeaderValidation.ValidateValue(key, s);
        _values.Add(key, value);
    }

    public void Add(KeyValuePair<string, StringValues> item) => Add(item.Key, item.Value);

    /// <summary>Adds a value to a name that may already have values (how repeated header lines parse).</summary>
    internal void Append(string key, string value) =>
        _values[key] = _values.TryGetValue(key, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);

    public void Clear() => _values.Clear();
    public bool Contains(KeyValuePair<string, StringValues> item) => _values.TryGetValue(item.Key, out var v) && v.Equals(item.Value);
    public bool ContainsKey(string key) => _values.ContainsKey(key);
    public void CopyTo(KeyValuePair<string, StringValues>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, StringValues>>)_values).CopyTo(array, arrayIndex);
    public bool Remove(string key) => _values.Remove(key);
    public bool Remove(KeyValuePair<string, StringValues> item) => Contains(item) && _values.Remove(item.Key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out StringValues value) => _values.TryGetValue(key, out value);
    public IEnumerator<KeyValuePair<string, StringValues>> GetEnumerator() => _values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
