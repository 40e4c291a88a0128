// The bench baseline's plain socket: copies stdin (e.g. `tail -F file |`) to a TCP connection, nothing else.
// Usage: tail -n +1 -F file | node tailer-tcp-relay.mjs <host> <port>
import net from "node:net";

const [host, port] = process.argv.slice(2);
const socket = net.connect(Number(port), host, () => process.stdin.pipe(socket));
socket.setNoDelay(true);
socket.on("error", (err) => {
  console.error(`relay: ${err.message}`);
  process.exit(1);
});
