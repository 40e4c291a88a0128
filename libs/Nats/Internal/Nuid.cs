using System.Security.Cryptography;

namespace Platform.Nats.Internal;

/// <summary>Random 22-character base62 identifiers for inboxes (same role as the official clients' NUID).</summary>
internal static class Nuid
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Next() => RandomNumberGenerator.GetString(Alphabet, 22);
}
