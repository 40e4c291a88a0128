using System.Buffers;
using System.Buffers.Binary;
using Grpc.Core;

namespace Platform.Grpc.Shared;

/// <summary>
/// Serializes one message straight into <see cref="IBufferWriter{T}"/> behind its 5-byte prefix. When the marshaller
/// announces the size (the generated protobuf code does) nothing is copied; otherwise the payload is buffered first.
/// </summary>
internal sealed class FramingSerializationContext : SerializationContext, IBufferWriter<byte>
{
    private readonly IBufferWriter<byte> _output;
    private readonly int? _maxSize;
    private readonly string _direction;
    private ArrayBufferWriter<byte>? _buffered;
    private int _announced = -1;
    private int _written;

    public FramingSerializationContext(IBufferWriter<byte> output, int? maxSize, string direction)
    {
        _output = output;
        _maxSize = maxSize;
        _direction = direction;
    }

    public bool Completed { get; private set; }

    /// <summary>Serializes <paramref name="message"/> with its prefix into <paramref name="output"/>.</summary>
    public static void Write<T>(IBufferWriter<byte> output, Marshaller<T> marshaller, T message, int? maxSize, string direction)
    {
        var context = new FramingSerializationContext(output, maxSize, direction);
        marshaller.ContextualSerializer(message, context);
        if (!context.Completed) throw new InvalidOperationException("The marshaller did not complete the message.");
    }

    public override void SetPayloadLength(int payloadLength)
    {
        CheckSize(payloadLength);
        WriteHeader(payloadLength);
        _announced = payloadLength;
    }

    public override IBufferWriter<byte> GetBufferWriter() => _announced >= 0 ? this : _buffered ??= new ArrayBufferWriter<byte>();

    public override void Complete()
    {
        if (_announced >= 0)
        {
            if (_written != _announced)
                throw new InvalidOperationException($"The marshaller announced {_announced} bytes and wrote {_written}.");
        }
        else
        {
            var payload = _buffered is null ? ReadOnlySpan<byte>.Empty : _buffered.WrittenSpan;
            CheckSize(payload.Length);
            WriteHeader(payload.Length);
            _output.Write(payload);
        }
        Completed = true;
    }

    public override void Complete(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        CheckSize(payload.Length);
        WriteHeader(payload.Length);
        _output.Write(payload);
        Completed = true;
    }

    void IBufferWriter<byte>.Advance(int count)
    {
        _output.Advance(count);
        _written += count;
    }

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint) => _output.GetMemory(sizeHint);

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => _output.GetSpan(sizeHint);

    private void CheckSize(int length)
    {
        if (length > (_maxSize ?? int.MaxValue))
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size ({length} > {_maxSize} bytes, {_direction})."));
    }

    private void WriteHeader(int length)
    {
        var header = _output.GetSpan(GrpcProtocol.HeaderSize);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)length);
        _output.Advance(GrpcProtocol.HeaderSize);
    }
}
