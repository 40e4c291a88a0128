namespace Platform.Nats.Internal;

/// <summary>Rejects subjects the server would refuse (or misparse) before anything is sent.</summary>
internal static class SubjectValidator
{
    /// <summary>Publish subjects: non-empty tokens, no whitespace, no wildcards.</summary>
    public static void ValidatePublish(string subject, string paramName = "subject")
    {
        Validate(subject, allowWildcards: false, paramName);
    }

    /// <summary>Subscribe subjects: like publish, plus whole-token <c>*</c> and a final <c>&gt;</c>.</summary>
    public static void ValidateSubscribe(string subject)
    {
        Validate(subject, allowWildcards: true, nameof(subject));
    }

    public static void ValidateQueueGroup(string? queueGroup)
    {
        if (queueGroup is null) return;
        if (queueGroup.Length == 0 || queueGroup.AsSpan().IndexOfAny(" \t\r\n") >= 0)
            throw new ArgumentException($"Invalid NATS queue group '{queueGroup}': it must be non-empty without whitespace.", nameof(queueGroup));
    }

    private static void Validate(string subject, bool allowWildcards, string paramName)
    {
        if (string.IsNullOrEmpty(subject)) throw new ArgumentException("A NATS subject must not be empty.", paramName);
        var span = subject.AsSpan();
        if (span.IndexOfAny(" \t\r\n") >= 0) throw Invalid(subject, "it contains whitespace", paramName);
        var tokenStart = 0;
        for (var i = 0; i <= span.Length; i++)
        {
            if (i < span.Length && span[i] != '.') continue;
            var token = span[tokenStart..i];
            if (token.Length == 0) throw Invalid(subject, "it has an empty token (leading, trailing or double '.')", paramName);
            var hasStar = token.Contains('*');
            var hasGt = token.Contains('>');
            if (hasStar || hasGt)
            {
                if (!allowWildcards) throw Invalid(subject, "wildcards '*' and '>' are only allowed when subscribing", paramName);
                if (token.Length != 1) throw Invalid(subject, "wildcards must be whole tokens", paramName);
                if (hasGt && i != span.Length) throw Invalid(subject, "'>' must be the last token", paramName);
            }
            tokenStart = i + 1;
        }
    }

    private static ArgumentException Invalid(string subject, string why, string paramName) =>
        new($"Invalid NATS subject '{subject}': {why}.", paramName);
}
