using Grpc.Core;

namespace Platform.Grpc.Shared;

/// <summary>Metadata to and from HTTP/2 header values; "-bin" values are base64 (sent unpadded, read padded or not).</summary>
internal static class MetadataHeaders
{
    public static string ToHeaderValue(Metadata.Entry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    /// <summary>Adds one received header to <paramref name="metadata"/>; malformed base64 is skipped rather than failing the call.</summary>
    public static void AddFromHeader(Metadata metadata, string name, string value)
    {
        var key = name.ToLowerInvariant();
        if (!key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
        {
            metadata.Add(key, value);
            return;
        }
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var padded = part.Length % 4 == 0 ? part : part + new string('=', 4 - part.Length % 4);
            var bytes = new byte[padded.Length];
            if (Convert.TryFromBase64String(padded, bytes, out var written))
                metadata.Add(key, bytes.AsSpan(0, written).ToArray());
        }
    }
}
