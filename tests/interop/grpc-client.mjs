// @grpc/grpc-js client against a platform gRPC server: runs each call shape and prints one JSON line per result.
// Usage: node grpc-client.mjs <host:port>
import { loadPlatformProtos } from './grpc-protos.mjs';

const { grpc, safety, encoder, health } = loadPlatformProtos();
const target = process.argv[2];
const credentials = grpc.credentials.createInsecure();
const safetyClient = new safety.SafetyAuthority(target, credentials);
const encoderClient = new encoder.Encoder(target, credentials);
const healthClient = new health.Health(target, credentials);

const print = (o) => console.log(JSON.stringify(o));
const unary = (client, method, request, metadata = new grpc.Metadata(), options = {}) =>
  new Promise((resolve) => client[method](request, metadata, options, (err, reply) => resolve(err ? { err } : { reply })));
const failure = (err) => ({ code: err.code, details: err.details, trailer: err.metadata?.get('failure-detail')?.[0] ?? null });

// Unary.
const state = await unary(safetyClient, 'getState', {});
print({ op: 'GetState', ...(state.err ? failure(state.err) : state.reply) });

// Unary with metadata and a non-ASCII request.
const md = new grpc.Metadata();
md.set('x-operator', 'ada');
const estop = await unary(safetyClient, 'estop', { reason: 'zażółć ✓ 100%', source: 'node' }, md);
print({ op: 'Estop', ...(estop.err ? failure(estop.err) : estop.reply) });

// Error status with a percent-encoded message and trailers.
const clear = await unary(safetyClient, 'clearEstop', { operator: 'ada' });
print({ op: 'ClearEstop', ...(clear.err ? failure(clear.err) : { code: 0 }) });

// Server streaming: take five states, then cancel.
const ids = await new Promise((resolve, reject) => {
  const got = [];
  const call = safetyClient.watchState({});
  call.on('data', (s) => {
    got.push(s.stateId);
    if (got.length === 5) call.cancel();
  });
  call.on('error', (e) => (e.code === grpc.status.CANCELLED ? resolve(got) : reject(e)));
  call.on('end', () => resolve(got));
});
print({ op: 'WatchState', stateIds: ids });

// Client streaming: twenty frames.
const summary = await new Promise((resolve) => {
  const call = encoderClient.ingest((err, reply) => resolve(err ? failure(err) : reply));
  for (let i = 1; i <= 20; i++) {
    call.write({ stream: 'main', frameId: String(i), ptsUs: String(i * 16666), width: 32, height: 16, pixelFormat: 'PIXEL_FORMAT_I420', data: Buffer.alloc(768, i) });
  }
  call.end();
});
print({ op: 'Ingest', ...summary });

// Deadline: the server's GetStats waits 5 s.
const started = Date.now();
const stats = await unary(encoderClient, 'getStats', { stream: 'slow' }, new grpc.Metadata(), { deadline: Date.now() + 200 });
print({ op: 'GetStatsDeadline', ...(stats.err ? failure(stats.err) : { code: 0 }), elapsedMs: Date.now() - started });

// Health.
for (const service of ['', 'platform.safety.v1.SafetyAuthority', 'no.Such']) {
  const r = await unary(healthClient, 'check', { service });
  print({ op: 'HealthCheck', service, ...(r.err ? failure(r.err) : { code: 0, status: r.reply.status }) });
}

safetyClient.close();
encoderClient.close();
healthClient.close();
