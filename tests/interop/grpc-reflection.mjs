// gRPC server reflection from @grpc/grpc-js (grpc-js-reflection-client), as `grpcurl list` / `describe` would use it:
// lists the services, describes each (its methods from the descriptors the server sends), then makes the unary calls
// given as arguments with message types known only from those descriptors. Prints one JSON line per result.
// Usage: node grpc-reflection.mjs <host:port> [<package.Service>/<Method> <request json>]...
import grpc from '@grpc/grpc-js';
import { GrpcReflection } from 'grpc-js-reflection-client';

const [target, ...calls] = process.argv.slice(2);
const credentials = grpc.credentials.createInsecure();
const reflection = new GrpcReflection(target, credentials);
const print = (o) => console.log(JSON.stringify(o));
const loadOptions = { keepCase: false, longs: String, enums: String, defaults: true };

const services = await reflection.listServices();
print({ op: 'list', services });
for (const service of services) {
  const methods = await reflection.listMethods(service);
  print({ op: 'describe', service, methods: methods.map((m) => m.name) });
}

for (let i = 0; i + 1 < calls.length; i += 2) {
  const [service, method] = calls[i].split('/');
  const descriptor = await reflection.getDescriptorBySymbol(service);
  const Client = service.split('.').reduce((o, part) => o[part], descriptor.getPackageObject(loadOptions));
  const client = new Client(target, credentials);
  const call = method[0].toLowerCase() + method.slice(1);
  const reply = await new Promise((resolve) =>
    client[call](JSON.parse(calls[i + 1]), { deadline: Date.now() + 30_000 }, (err, r) => resolve(err ? { code: err.code, details: err.details } : { code: 0, reply: r })));
  print({ op: 'call', service, method, ...reply });
  client.close();
}
