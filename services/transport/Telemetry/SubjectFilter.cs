namespace Platform.Transport.Telemetry;

/// <summary>An immutable set of subject patterns; a client's relayed telemetry is what matches any of them.</summary>
public sealed class SubjectFilter
{
    public static readonly SubjectFilter All = new([Parse(">")]);

    private readonly SubjectPattern[] _patterns;

    private SubjectFilter(SubjectPattern[] patterns) => _patterns = patterns;

    public IReadOnlyList<string> Patterns => [.. _patterns.Select(p => p.Text)];

    public bool Matches(string subject)
    {
        foreach (var p in _patterns)
        {
            if (p.Matches(subject)) return true;
        }
        return false;
    }

    /// <summary>Parses patterns (at most 64); an empty list matches nothing.</summary>
    public static bool TryCreate(IEnumerable<string?> patterns, out SubjectFilter? filter, out string? error)
    {
        filter = null;
        var list = new List<SubjectPattern>();
        foreach (var text in patterns)
        {
            if (!SubjectPattern.TryParse(text?.Trim(), out var pattern, out error)) return false;
            list.Add(pattern!);
            if (list.Count > 64)
            {
                error = "at most 64 subject patterns";
                return false;
            }
        }
        filter = new SubjectFilter([.. list]);
        error = null;
        return true;
    }

    private static SubjectPattern Parse(string text) => SubjectPattern.TryParse(text, out var p, out _) ? p! : throw new ArgumentException(text);
}
