namespace Platform.Contracts.Wire;

/// <summary>The first byte of every <c>/stream/ws</c> message (ARCHITECTURE.md section 7).</summary>
public enum StreamMessageType : byte
{
    /// <summary>Type + <see cref="VideoFrameHeader"/> (32 bytes) + one access unit (server → client).</summary>
    Video = 0x01,

    /// <summary>Type + JSON <c>{subject, data}</c> (server → client); type + JSON <c>{subscribe:[...]}</c> (client → server).</summary>
    Telemetry = 0x02,

    /// <summary>Type + JSON (WebRTC offer/answer/candidate), both ways.</summary>
    Signaling = 0x03,

    /// <summary>Type + JSON <c>{action, cmd_seq, data, ttl_ms?}</c> (client → server).</summary>
    Command = 0x04,
}
