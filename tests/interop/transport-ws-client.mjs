// A /stream/ws client on the `ws` npm package.
// Usage: node transport-ws-client.mjs <ws-url>
// stdin, one per line: "!cmd <json>" sends 0x04 + json; "!sub <json>" sends 0x02 + json; "!type <byte> <text>" sends that
// type byte + text; "!big <n>" sends 0x04 + n bytes; "!close" closes.
// stdout, one JSON object per line: {event:"open"}; {event:"video", frame_id, keyframe, codec, payload_len, intact};
// {event:"message", type, message} for 0x02; {event:"close", code, reason}.
import WebSocket from 'ws';
import readline from 'node:readline';

const [url] = process.argv.slice(2);
const ws = new WebSocket(url);
ws.binaryType = 'nodebuffer';
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const framed = (type, body) => Buffer.concat([Buffer.from([type]), Buffer.isBuffer(body) ? body : Buffer.from(body)]);

ws.on('open', () => print({ event: 'open' }));
ws.on('message', (data, isBinary) => {
  if (!isBinary || data.length === 0) return print({ event: 'unexpected', isBinary, length: data.length });
  const type = data[0];
  if (type === 0x01) {
    const payloadLen = data.readUInt32LE(29);
    print({
      event: 'video',
      codec: data.readUInt16LE(1),
      keyframe: (data.readUInt16LE(3) & 1) === 1,
      frame_id: Number(data.readBigUInt64LE(5)),
      payload_len: payloadLen,
      intact: data.length === 33 + payloadLen,
    });
  } else if (type === 0x02) {
    print({ event: 'message', type, message: JSON.parse(data.subarray(1).toString()) });
  } else {
    print({ event: 'unexpected', type });
  }
});
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
  else if (line.startsWith('!cmd ')) ws.send(framed(0x04, line.slice(5)));
  else if (line.startsWith('!sub ')) ws.send(framed(0x02, line.slice(5)));
  else if (line.startsWith('!type ')) {
    const [, type, ...rest] = line.split(' ');
    ws.send(framed(Number(type), rest.join(' ')));
  } else if (line.startsWith('!big ')) ws.send(framed(0x04, Buffer.alloc(Number(line.slice(5)), 0x20)));
});
