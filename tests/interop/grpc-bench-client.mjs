// Load from an @grpc/grpc-js client, after a 1 s warm-up; prints one JSON line.
// Usage: node grpc-bench-client.mjs unary <host:port> <seconds> <concurrency>
//          SafetyAuthority.GetState with <concurrency> calls in flight  → {"calls","seconds","p50Us","p99Us"}
//        node grpc-bench-client.mjs ingest <host:port> <seconds> <width> <height>
//          Encoder.Ingest, I420 frames written back to back on one call → {"frames","seconds","framesReceived"}
import { loadPlatformProtos } from './grpc-protos.mjs';

const { grpc, safety, encoder } = loadPlatformProtos();
const [mode, target, seconds] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const credentials = grpc.credentials.createInsecure();

if (mode === 'unary') {
  const concurrency = Number(process.argv[5]);
  const client = new safety.SafetyAuthority(target, credentials);
  const call = () => new Promise((resolve, reject) => client.getState({}, { deadline: Date.now() + 10_000 }, (err) => (err ? reject(err) : resolve())));
  const run = async (ms, latencies) => {
    const end = Date.now() + ms;
    const worker = async () => {
      while (Date.now() < end) {
        const t0 = process.hrtime.bigint();
        await call();
        latencies?.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  await run(1000, null);
  const latencies = [];
  const started = process.hrtime.bigint();
  await run(seconds * 1000, latencies);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  console.log(JSON.stringify({ calls: latencies.length, seconds: elapsed, p50Us: pct(0.5), p99Us: pct(0.99) }));
  client.close();
} else if (mode === 'ingest') {
  const [width, height] = [Number(process.argv[5]), Number(process.argv[6])];
  const client = new encoder.Encoder(target, credentials);
  const data = Buffer.alloc(width * height * 3 / 2, 0x80);
  const stream = async (ms) => {
    let frames = 0;
    let started;
    const summary = new Promise((resolve, reject) => {
      const call = client.ingest((err, reply) => (err ? reject(err) : resolve(reply)));
      const end = Date.now() + ms;
      started = process.hrtime.bigint();
      // Writes while the call's buffer accepts them, then waits for it to drain (HTTP/2 flow control).
      const pump = () => {
        while (Date.now() < end) {
          frames++;
          const ok = call.write({ stream: 'bench', frameId: String(frames), width, height, pixelFormat: 'PIXEL_FORMAT_I420', data });
          if (!ok) return call.once('drain', pump);
        }
        call.end();
      };
      pump();
    });
    const reply = await summary;
    return { frames, seconds: Number(process.hrtime.bigint() - started) / 1e9, framesReceived: Number(reply.framesReceived) };
  };
  await stream(1000);
  console.log(JSON.stringify(await stream(seconds * 1000)));
  client.close();
} else {
  console.error(`unknown mode ${mode}: unary or ingest`);
  process.exit(2);
}
