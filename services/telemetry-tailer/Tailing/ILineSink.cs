namespace Platform.TelemetryTailer.Tailing;

/// <summary>Receives the complete lines a <see cref="FileTail"/> reads (the line's bytes are valid only during the call).</summary>
public interface ILineSink
{
    void OnLine(ReadOnlySpan<byte> line, long lineNumber);

    void OnOversizedLine(long lineNumber, long length);
}
