// A /ws/telemetry client on the `ws` npm package (permessage-deflate offered, as ws does by default).
// Usage: node tailer-ws-client.mjs <ws-url> [--count]
// stdin, one per line: a JSON message to send as text; "!binary" sends a binary frame; "!big <n>" sends <n> bytes
// of text; "!close" closes the connection.
// stdout, one JSON object per line: {event:"open", extensions}, {event:"message", message}, {event:"ping"},
// {event:"close", code, reason}. With --count, telemetry messages print {event:"count", sessionId, total} instead
// (total = records received so far), for high-volume tests.
import WebSocket from 'ws';
import readline from 'node:readline';

const [url, mode] = process.argv.slice(2);
const countOnly = mode === '--count';
const ws = new WebSocket(url);
let total = 0;
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');

ws.on('open', () => print({ event: 'open', extensions: ws.extensions }));
ws.on('message', (data, isBinary) => {
  const message = JSON.parse(data.toString());
  if (countOnly && message.type === 'telemetry') {
    total += message.data.length;
    print({ event: 'count', sessionId: message.sessionId, total });
  } else {
    print({ event: 'message', binary: isBinary, message });
  }
});
ws.on('ping', () => print({ event: 'ping' }));
ws.on('close', (code, reason) => {
  print({ event: 'close', code, reason: reason.toString() });
  process.exit(0);
});
ws.on('error', (err) => {
  console.error(`ws error: ${err.message}`);
  process.exit(1);
});

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === '!close') ws.close(1000, 'done');
  else if (line === '!binary') ws.send(Buffer.from([1, 2, 3]), { binary: true });
  else if (line.startsWith('!big ')) ws.send('x'.repeat(Number(line.slice(5))));
  else ws.send(line);
});
