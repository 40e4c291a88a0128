// Interop peer for Platform.Nats: the official `nats` npm client on the other end of the wire.
// Usage: node nats-peer.mjs <url>
//  - answers requests on interop.node.echo (payload back, plus headers Echo-Of and Node)
//  - prints every message on interop.node.inbox as `MSG {json}` (headers, base64 payload)
//  - prints READY once subscribed; on the stdin line GO it publishes to interop.dotnet.inbox and
//    requests interop.dotnet.echo, printing `REPLY {json}`, then DONE.
import { connect, headers } from "nats";
import readline from "node:readline";
import { createHash } from "node:crypto";

const url = process.argv[2];
const nc = await connect({ servers: url, name: "node-interop-peer" });

const describe = (m) => ({
  subject: m.subject,
  reply: m.reply || null,
  headers: m.headers ? Object.fromEntries([...m.headers.keys()].map((k) => [k, m.headers.values(k)])) : null,
  // small payloads verbatim, large ones by digest (keeps the output readable)
  data: m.data.length <= 4096 ? Buffer.from(m.data).toString("base64") : null,
  sha256: createHash("sha256").update(m.data).digest("hex"),
  size: m.data.length,
});

nc.subscribe("interop.node.echo", {
  callback: (err, m) => {
    if (err) { console.error(err); return; }
    const h = headers();
    h.set("Echo-Of", m.headers?.get("X-Id") ?? "");
    h.set("Node", "yes");
    m.respond(m.data, { headers: h });
  },
});
nc.subscribe("interop.node.inbox", {
  callback: (err, m) => {
    if (err) { console.error(err); return; }
    console.log("MSG " + JSON.stringify(describe(m)));
  },
});
await nc.flush();
console.log("READY");

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  if (line.trim() !== "GO") continue;
  const h = headers();
  h.set("Frame-Id", "7");
  h.append("Multi", "one");
  h.append("Multi", "two");
  nc.publish("interop.dotnet.inbox", new Uint8Array([0, 1, 2, 253, 254, 255]), { headers: h });
  nc.publish("interop.dotnet.inbox", new Uint8Array(0));
  nc.publish("interop.dotnet.inbox", new Uint8Array(200 * 1024).map((_, i) => i % 251));
  const rh = headers();
  rh.set("X-Id", "node-1");
  const reply = await nc.request("interop.dotnet.echo", new TextEncoder().encode("from node"), { timeout: 5000, headers: rh });
  console.log("REPLY " + JSON.stringify(describe(reply)));
  let noResponders = "none";
  try {
    await nc.request("interop.nobody", new Uint8Array(0), { timeout: 2000 });
  } catch (e) {
    noResponders = e.code;
  }
  console.log("NORESPONDERS " + noResponders);
  await nc.flush();
  console.log("DONE");
  break;
}
rl.close();
await nc.drain();
process.exit(0);
