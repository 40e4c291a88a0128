using Platform.Contracts.Subjects;

namespace Platform.Transport.Signals;

/// <summary>
/// Expands /ws/signals subscription patterns against the schema (seed 001): <c>*</c> every signal, <c>module.*</c>
/// the signals of a module, anything else one signal by exact name. Order is the patterns' order, each expanded in
/// schema order; a signal named twice appears once.
/// </summary>
public static class SignalPatterns
{
    public static bool TryExpand(IReadOnlyList<string> patterns, SimSchemaMessage schema, out IReadOnlyList<string> signals, out string? error)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            IEnumerable<string> matched;
            if (pattern == "*")
            {
                matched = schema.Signals.Select(s => s.Name);
            }
            else if (pattern.EndsWith(".*", StringComparison.Ordinal))
            {
                var module = pattern[..^2];
                if (!schema.Modules.Contains(module))
                {
                    signals = [];
                    error = $"unknown module '{module}' in '{pattern}' (modules: {string.Join(", ", schema.Modules)})";
                    return false;
                }
                matched = schema.Signals.Where(s => s.Module == module).Select(s => s.Name);
            }
            else if (schema.Signals.Any(s => s.Name == pattern))
            {
                matched = [pattern];
            }
            else
            {
                signals = [];
                error = $"unknown signal '{pattern}'";
                return false;
            }
            foreach (var name in matched)
            {
                if (seen.Add(name)) result.Add(name);
            }
        }
        signals = result;
        error = null;
        return true;
    }
}
