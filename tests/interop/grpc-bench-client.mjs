// Unary load from @grpc/grpc-js: SafetyAuthority.GetState with N calls in flight for S seconds after a 1 s warm-up.
// Usage: node grpc-bench-client.mjs <host:port> <seconds> <concurrency>  → prints {"calls","seconds","p50Us","p99Us"}.
import { loadPlatformProtos } from './grpc-protos.mjs';

const { grpc, safety } = loadPlatformProtos();
const [target, seconds, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const client = new safety.SafetyAuthority(target, grpc.credentials.createInsecure());
const call = () => new Promise((resolve, reject) => client.getState({}, (err) => (err ? reject(err) : resolve())));

async function run(ms, latencies) {
  const end = Date.now() + ms;
  const worker = async () => {
    while (Date.now() < end) {
      const t0 = process.hrtime.bigint();
      await call();
      latencies?.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

await run(1000, null);
const latencies = [];
const started = process.hrtime.bigint();
await run(seconds * 1000, latencies);
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
console.log(JSON.stringify({ calls: latencies.length, seconds: elapsed, p50Us: pct(0.5), p99Us: pct(0.99) }));
client.close();
