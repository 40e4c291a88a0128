namespace Platform.Transport.Telemetry;

/// <summary>A NATS-style subject pattern: tokens split on '.', <c>*</c> matches one token, a final <c>&gt;</c> one or more.</summary>
public sealed class SubjectPattern
{
    private readonly string[] _tokens;

    private SubjectPattern(string text, string[] tokens)
    {
        Text = text;
        _tokens = tokens;
    }

    public string Text { get; }

    public static bool TryParse(string? text, out SubjectPattern? pattern, out string? error)
    {
        pattern = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 256)
        {
            error = "a subject pattern must be 1 to 256 characters";
            return false;
        }
        var tokens = text.Split('.');
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            if (t.Length == 0 || t.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                error = $"'{text}' has an empty token or whitespace";
                return false;
            }
            if (t == ">" && i != tokens.Length - 1)
            {
                error = $"'{text}': '>' may only be the last token";
                return false;
            }
            if (t.Length > 1 && (t.Contains('*') || t.Contains('>')))
            {
                error = $"'{text}': wildcards must be whole tokens";
                return false;
            }
        }
        pattern = new SubjectPattern(text, tokens);
        error = null;
        return true;
    }

    public bool Matches(string subject)
    {
        var at = 0;
        for (var i = 0; i < _tokens.Length; i++)
        {
            if (at > subject.Length) return false;
            var token = _tokens[i];
            if (token == ">") return at < subject.Length;
            var end = subject.IndexOf('.', at);
            if (end < 0) end = subject.Length;
            if (end == at) return false;
            if (token != "*" && !subject.AsSpan(at, end - at).SequenceEqual(token)) return false;
            at = end + 1;
        }
        return at == subject.Length + 1;
    }
}
