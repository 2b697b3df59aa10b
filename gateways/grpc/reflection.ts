/**
 * Server reflection (grpc.reflection.v1 and v1alpha) for one gRPC port: it
 * lists exactly the services the port serves, plus grpc.health.v1.Health and
 * the reflection service itself, and answers with complete file descriptors
 * (gateways/grpc/descriptors.ts), so `grpcurl -plaintext host:port list`,
 * `describe` and calls work without any .proto file on the client's side.
 * Symbols of services the port does not serve are not found there.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { fileDescriptors, type FileDescriptors, type ProtoSource } from './descriptors.ts';
import { PROTO_FILES, PROTO_ROOT } from './proto.ts';

export const HEALTH_SERVICE = 'grpc.health.v1.Health';
export const REFLECTION_SERVICES = [
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
] as const;

/** The .proto files of @grpc/reflection's two services, from the copies it ships and serves. */
const reflectionProtoDir = path.resolve(
  path.dirname(createRequire(import.meta.url).resolve('@grpc/reflection')),
  '..',
  'proto',
);

/** Guardyn's protos, the standard health protocol (under its canonical name) and reflection's own. */
export const REFLECTED_SOURCES: readonly ProtoSource[] = [
  ...PROTO_FILES.map((file) => ({ includeDir: PROTO_ROOT, file })),
  {
    includeDir: path.resolve(path.dirname(healthProtoPath), '..', '..'),
    file: 'health/v1/health.proto',
    name: 'grpc/health/v1/health.proto',
  },
  { includeDir: reflectionProtoDir, file: 'grpc/reflection/v1/reflection.proto' },
  { includeDir: reflectionProtoDir, file: 'grpc/reflection/v1alpha/reflection.proto' },
];

let built: FileDescriptors | undefined;
/** The descriptors of every reflected file (parsed on the first call only). */
export function reflectedDescriptors(): FileDescriptors {
  built ??= fileDescriptors(REFLECTED_SOURCES);
  return built;
}

type ReflectedPackage = ConstructorParameters<typeof ReflectionService>[0];

/**
 * The reflection service of a port serving `serviceNames` (fully qualified):
 * those services, health and reflection are listed, and only the files they
 * need (transitively) are served. A name without a descriptor is left out.
 */
export function reflectionFor(serviceNames: readonly string[]): ReflectionService {
  const descriptors = reflectedDescriptors();
  const listed = [...new Set([...serviceNames, HEALTH_SERVICE, ...REFLECTION_SERVICES])].filter((name) =>
    descriptors.serviceFiles.has(name),
  );
  const needed = new Set(descriptors.closure(listed.map((name) => descriptors.serviceFiles.get(name)!)));
  const fileDescriptorProtos = descriptors.files.flatMap((file, i) =>
    needed.has(file.name!) ? [Buffer.from(descriptors.encoded[i]!)] : [],
  );
  // ReflectionService reads only `fileDescriptorProtos` of a package definition's entries.
  const pkg = {
    files: { format: 'Protocol Buffer 3 DescriptorProto', type: {}, fileDescriptorProtos },
  } as unknown as ReflectedPackage;
  return new ReflectionService(pkg, { services: listed });
}
