// Subscribes with the official `nats` npm client to what the telemetry tailer publishes.
// Usage: node tailer-nats-sub.mjs <nats-url> [subject]   (subject defaults to telemetry.tail.>)
// Prints READY once subscribed, then one JSON line per message: {subject, data} (data = the payload parsed as JSON).
import { connect } from "nats";

const [url, subject = "telemetry.tail.>"] = process.argv.slice(2);
const nc = await connect({ servers: url, name: "tailer-nats-sub" });
const sub = nc.subscribe(subject);
await nc.flush();
console.log("READY");
for await (const m of sub) {
  console.log(JSON.stringify({ subject: m.subject, data: JSON.parse(new TextDecoder().decode(m.data)) }));
}
