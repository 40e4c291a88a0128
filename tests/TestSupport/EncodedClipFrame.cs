namespace Platform.TestSupport;

/// <summary>One frame of a test clip as an encoder would publish it: an H.264 access unit in Annex-B, or a JPEG.</summary>
public sealed record EncodedClipFrame(byte[] Data, bool Keyframe);
