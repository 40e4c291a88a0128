// @grpc/grpc-js server implementing platform.safety.v1.SafetyAuthority and platform.encoder.v1.Encoder for interop.
// Usage: node grpc-server.mjs [--print-frames]  → prints "listening <port>", then with --print-frames one JSON line per
// Ingest frame (a test streaming into this server, such as the sim's FrameStreamer, checks what arrived).
import { loadPlatformProtos } from './grpc-protos.mjs';

const { grpc, safety, encoder } = loadPlatformProtos();
const printFrames = process.argv.includes('--print-frames');

const state = (id, reason) => ({
  stateId: String(id),
  mode: 'SAFETY_MODE_HOLD',
  reason,
  sinceMs: '1700000000000',
  sources: [{ source: 'transport', kind: 'video_gate', mode: 'SAFETY_MODE_HOLD', staleMs: '1200', atMs: '1700000000123', active: true }],
});

const server = new grpc.Server();
server.addService(safety.SafetyAuthority.service, {
  getState: (call, callback) => callback(null, state(42, 'node:' + (call.metadata.get('x-operator')[0] ?? ''))),
  estop: (call, callback) => callback(null, { ...state(43, call.request.reason), mode: 'SAFETY_MODE_ESTOP' }),
  clearEstop: (call, callback) => {
    const trailers = new grpc.Metadata();
    trailers.set('failure-detail', 'video_gate');
    callback({ code: grpc.status.FAILED_PRECONDITION, details: 'gates active: ✓ video_gate 100%', metadata: trailers });
  },
  watchState: (call) => {
    let id = 100;
    const timer = setInterval(() => call.write(state(id++, 'tick')), 10);
    call.on('cancelled', () => clearInterval(timer));
  },
});
server.addService(encoder.Encoder.service, {
  ingest: (call, callback) => {
    let frames = 0, bytes = 0, last = '0';
    call.on('data', (f) => {
      frames++; bytes += f.data.length; last = f.frameId;
      if (printFrames) console.log(JSON.stringify({ op: 'frame', stream: f.stream, frameId: f.frameId, width: f.width, height: f.height, pixelFormat: f.pixelFormat, bytes: f.data.length }));
    });
    call.on('end', () => callback(null, { framesReceived: String(frames), framesEncoded: String(frames), framesDropped: '0', bytesReceived: String(bytes), lastFrameId: last }));
  },
  requestKeyframe: (call, callback) => {
    // Answers after 5 s unless the caller gives up first (deadline tests).
    const timer = setTimeout(() => callback(null, { accepted: true, frameId: '1' }), 5000);
    call.on('cancelled', () => clearTimeout(timer));
  },
  setBitrate: (call, callback) => callback(null, { appliedBitrateBps: Math.min(call.request.bitrateBps, 4000000), ceilingBps: 4000000, clamped: call.request.bitrateBps > 4000000 }),
  getStats: (call, callback) => callback(null, { stream: call.request.stream, codec: 'CODEC_H264', encoderName: 'libx264', fps: 60, bitrateBps: 2500000 }),
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) { console.error(err); process.exit(1); }
  console.log(`listening ${port}`);
});
process.stdin.on('end', () => server.forceShutdown());
process.stdin.resume();
