using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Signals;

/// <summary>
/// Signals by qualified name (<c>module.signal</c>, seed 001): read and set by name, and patterns expanded to names in
/// registration order: <c>*</c> (all), <c>module.*</c> (one module) or an exact name.
/// </summary>
public sealed class SignalRegistry
{
    private readonly List<Signal> _signals = [];
    private readonly Dictionary<string, Signal> _byName = new(StringComparer.Ordinal);
    private readonly List<string> _modules = [];

    public IReadOnlyList<Signal> Signals => _signals;
    public IReadOnlyList<string> Modules => _modules;
    public int Count => _signals.Count;

    public Signal Register(string module, string name, string unit, Func<double> read, Action<double>? write = null)
    {
        if (!IsPart(module) || !IsPart(name))
            throw new ArgumentException($"'{module}.{name}' is not a valid signal name: module and signal must be non-empty, without '.' or '*'.");
        var signal = new Signal(module, name, unit, read, write);
        if (!_byName.TryAdd(signal.QualifiedName, signal))
            throw new ArgumentException($"Signal '{signal.QualifiedName}' is registered twice.");
        _signals.Add(signal);
        if (!_modules.Contains(module)) _modules.Add(module);
        return signal;

        static bool IsPart(string s) => !string.IsNullOrWhiteSpace(s) && !s.Contains('.') && !s.Contains('*');
    }

    public bool TryGet(string qualifiedName, out Signal signal) => _byName.TryGetValue(qualifiedName, out signal!);

    public double Read(string qualifiedName)
        => TryGet(qualifiedName, out var s) ? s.Read() : throw new KeyNotFoundException($"No signal '{qualifiedName}'.");

    /// <summary>Sets a writable signal; false with a reason for an unknown or read-only name or a non-finite value.</summary>
    public bool TrySet(string qualifiedName, double value, out string? reason)
    {
        if (!TryGet(qualifiedName, out var signal))
        {
            reason = $"unknown signal '{qualifiedName}'";
            return false;
        }
        if (!signal.Writable)
        {
            reason = $"signal '{qualifiedName}' is read-only";
            return false;
        }
        if (!double.IsFinite(value))
        {
            reason = $"value for '{qualifiedName}' must be a finite number";
            return false;
        }
        signal.Write(value);
        reason = null;
        return true;
    }

    /// <summary>The qualified names a pattern matches; empty when nothing does.</summary>
    public IReadOnlyList<string> Expand(string pattern)
    {
        if (pattern == "*") return [.. _signals.Select(s => s.QualifiedName)];
        if (pattern.EndsWith(".*", StringComparison.Ordinal))
        {
            var module = pattern[..^2];
            return [.. _signals.Where(s => s.Module == module).Select(s => s.QualifiedName)];
        }
        return _byName.ContainsKey(pattern) ? [pattern] : [];
    }

    /// <summary>Expands several patterns, keeping first-seen order and dropping duplicates.</summary>
    public IReadOnlyList<string> Expand(IEnumerable<string> patterns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var name in patterns.SelectMany(Expand))
        {
            if (seen.Add(name)) result.Add(name);
        }
        return result;
    }

    /// <summary>Reads every signal, in registration order, into <paramref name="destination"/>.</summary>
    public void ReadAll(Span<double> destination)
    {
        if (destination.Length < _signals.Count)
            throw new ArgumentException($"Destination holds {destination.Length} values; {_signals.Count} are needed.", nameof(destination));
        for (var i = 0; i < _signals.Count; i++) destination[i] = _signals[i].Read();
    }

    public IReadOnlyList<SignalDescriptor> Describe() => [.. _signals.Select(s => s.Describe())];
}
