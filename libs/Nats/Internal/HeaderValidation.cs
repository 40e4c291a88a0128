namespace Platform.Nats;

/// <summary>Header names and values must not break the text framing of the header block.</summary>
internal static class HeaderValidation
{
    public static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A NATS header name must not be empty.", nameof(name));
        foreach (var c in name)
        {
            if (c <= ' ' || c == ':' || c > '~')
                throw new ArgumentException($"NATS header name '{name}' contains '{(c < ' ' ? $"\\x{(int)c:x2}" : c)}': use printable ASCII without ':' or spaces.", nameof(name));
        }
    }

    public static void ValidateValue(string name, string? value)
    {
        if (value is null) return;
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException($"NATS header '{name}' has a value with CR or LF, which would break the header block.", nameof(value));
    }
}
