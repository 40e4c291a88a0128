// The /stream/ws binary protocol (ARCHITECTURE.md section 7), mirroring contracts/Wire.
// Every message starts with a type byte; all integers are little-endian.

export const MsgType = Object.freeze({
  VIDEO: 0x01,
  TELEMETRY: 0x02,
  SIGNALING: 0x03,
  COMMAND: 0x04,
});

export const Codec = Object.freeze({
  H264: 1,
  JPEG: 3,
});

export const VIDEO_HEADER_BYTES = 32;
export const FLAG_KEYFRAME = 0x0001;

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/**
 * Parses a 0x01 VIDEO message: type, then codec u16, flags u16, frame_id u64, pts_us u64, capture_ts_us u64,
 * payload_len u32, then the payload (an Annex-B access unit or one JPEG). Throws on a truncated message.
 * 64-bit fields become Numbers: microsecond clocks and frame counters stay far below 2^53.
 */
export function parseVideo(buffer) {
  if (buffer.byteLength < 1 + VIDEO_HEADER_BYTES) throw new RangeError(`video message of ${buffer.byteLength} bytes is shorter than its header`);
  const view = new DataView(buffer, 1, VIDEO_HEADER_BYTES);
  const codec = view.getUint16(0, true);
  const flags = view.getUint16(2, true);
  const frameId = Number(view.getBigUint64(4, true));
  const ptsUs = Number(view.getBigUint64(12, true));
  const captureTsUs = Number(view.getBigUint64(20, true));
  const payloadLength = view.getUint32(28, true);
  const start = 1 + VIDEO_HEADER_BYTES;
  if (start + payloadLength > buffer.byteLength) throw new RangeError(`video payload_len ${payloadLength} exceeds the ${buffer.byteLength - start} bytes received`);
  return {
    codec,
    keyframe: (flags & FLAG_KEYFRAME) !== 0,
    frameId,
    ptsUs,
    captureTsUs,
    payload: new Uint8Array(buffer, start, payloadLength),
  };
}

/** Parses a 0x02 TELEMETRY message: type, then JSON {subject, data}. */
export function parseTelemetry(buffer) {
  const message = JSON.parse(textDecoder.decode(new Uint8Array(buffer, 1)));
  if (typeof message?.subject !== 'string') throw new TypeError('telemetry message without a subject');
  return message;
}

/** Parses a JSON message of any other type (0x03 SIGNALING, or an error/notice the server sends). */
export function parseJson(buffer) {
  return JSON.parse(textDecoder.decode(new Uint8Array(buffer, 1)));
}

/** Encodes a 0x02 keyframe request: the decoder lost a frame and the live stream has no periodic IDR. */
export function encodeKeyframeRequest() {
  const json = textEncoder.encode('{"keyframe":true}');
  const message = new Uint8Array(1 + json.length);
  message[0] = MsgType.TELEMETRY;
  message.set(json, 1);
  return message.buffer;
}

/** Encodes a 0x04 COMMAND message: type, then JSON {action, cmd_seq, data, ttl_ms?}. */
export function encodeCommand(action, cmdSeq, data = {}, ttlMs = undefined) {
  const command = { action, cmd_seq: cmdSeq, data };
  if (ttlMs !== undefined) command.ttl_ms = ttlMs;
  const json = textEncoder.encode(JSON.stringify(command));
  const message = new Uint8Array(1 + json.length);
  message[0] = MsgType.COMMAND;
  message.set(json, 1);
  return message.buffer;
}
