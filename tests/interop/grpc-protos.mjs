// Loads the platform's .proto files (contracts/protos) and grpc.health.v1 (as the grpc-health-check package ships it)
// with @grpc/proto-loader for the gRPC peers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { protoPath as healthProto } from 'grpc-health-check';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function loadPlatformProtos() {
  const definition = protoLoader.loadSync(['safety.proto', 'encoder.proto', 'sim.proto', 'recorder.proto', healthProto], {
    includeDirs: [path.join(root, 'contracts', 'protos')],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
  });
  const loaded = grpc.loadPackageDefinition(definition);
  return {
    grpc,
    safety: loaded.platform.safety.v1,
    encoder: loaded.platform.encoder.v1,
    health: loaded.grpc.health.v1,
  };
}
