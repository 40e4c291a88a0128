// Baseline for bench/NatsBench: the official `nats` npm client on the same server, same run.
// node nats-bench.mjs <url> pub <payloadBytes> <count>   -> {"msgsPerSec":...}
// node nats-bench.mjs <url> rr <payloadBytes> <count>    -> {"p50us":...,"p99us":...}
// node nats-bench.mjs <url> video <payloadBytes> <count> -> {"p50us":...,"p99us":...} publish -> subscriber, video headers, ~1 ms apart
// node nats-bench.mjs <url> video-sub <subject> <count>  -> "ready", then {"p50us":...,"p99us":...} for another client's video publishes
import { connect, headers } from "nats";

const [url, mode, sizeArg, countArg] = process.argv.slice(2);
const size = Number(sizeArg);
const count = Number(countArg);
const payload = new Uint8Array(size).fill(120);
const warm = 200; // video messages read before sampling

if (mode === "pub") {
  const nc = await connect({ servers: url, name: "node-bench-pub" });
  for (let i = 0; i < 10_000; i++) nc.publish("bench.node.warm", payload);
  await nc.flush();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) nc.publish("bench.node.pub", payload);
  await nc.flush(); // the server has processed every publish once the PONG comes back
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ msgsPerSec: count / seconds }));
  await nc.close();
} else if (mode === "rr") {
  const service = await connect({ servers: url, name: "node-bench-service" });
  service.subscribe("bench.node.rr", { callback: (_, m) => m.respond(m.data) });
  await service.flush();
  const client = await connect({ servers: url, name: "node-bench-client" });
  for (let i = 0; i < 1000; i++) await client.request("bench.node.rr", payload, { timeout: 5000 });
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await client.request("bench.node.rr", payload, { timeout: 5000 });
    samples[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  samples.sort();
  const at = (q) => samples[Math.min(count - 1, Math.floor(q * count))];
  console.log(JSON.stringify({ p50us: at(0.5), p99us: at(0.99) }));
  await client.close();
  await service.close();
} else if (mode === "video") {
  const { sub, done } = await videoSubscriber("bench.node.video");
  const pub = await connect({ servers: url, name: "node-bench-video-pub" });
  for (let i = 0; i < warm + count; i++) {
    const h = headers();
    h.set("Frame-Id", String(i));
    h.set("Pts", String(i * 33333));
    h.set("Codec", "h264");
    h.set("Keyframe", i % 30 === 0 ? "true" : "false");
    h.set("Capture-Ts", String(process.hrtime.bigint()));
    pub.publish("bench.node.video", payload, { headers: h });
    await new Promise((r) => setTimeout(r, 1));
  }
  console.log(JSON.stringify(await done));
  await pub.close();
  await sub.close();
} else if (mode === "video-sub") {
  // Capture-Ts is a CLOCK_MONOTONIC reading in ns: .NET's Stopwatch and process.hrtime read the same clock.
  const { sub, done } = await videoSubscriber(sizeArg);
  console.log("ready");
  console.log(JSON.stringify(await done));
  await sub.close();
} else {
  console.error("usage: nats-bench.mjs <url> pub|rr|video <payloadBytes> <count> | video-sub <subject> <count>");
  process.exit(2);
}

// Latency from the Capture-Ts stamp to the callback for warm + count video messages; resolves to {p50us, p99us}.
async function videoSubscriber(subject) {
  const sub = await connect({ servers: url, name: "node-bench-video-sub" });
  const samples = new Float64Array(count);
  let received = 0;
  const done = new Promise((resolve) => {
    sub.subscribe(subject, {
      callback: (_, m) => {
        const sent = BigInt(m.headers.get("Capture-Ts"));
        const us = Number(process.hrtime.bigint() - sent) / 1000;
        if (received >= warm) samples[received - warm] = us;
        if (++received === warm + count) {
          samples.sort();
          const at = (q) => samples[Math.min(count - 1, Math.floor(q * count))];
          resolve({ p50us: at(0.5), p99us: at(0.99) });
        }
      },
    });
  });
  await sub.flush();
  return { sub, done };
}
