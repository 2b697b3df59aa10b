/**
 * A gRPC server reflection (grpc.reflection.v1) client for tests: sends the
 * requests on one ServerReflectionInfo stream and returns the responses, with
 * file descriptors decoded.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type * as ProtobufNs from 'protobufjs';
import type * as DescriptorNs from 'protobufjs/ext/descriptor/index.js';

const requireHere = createRequire(import.meta.url);
const requireFromLoader = createRequire(requireHere.resolve('@grpc/proto-loader'));
const descriptor = requireFromLoader('protobufjs/ext/descriptor/index.js') as typeof DescriptorNs;
const reflectionProto = path.join(
  path.dirname(requireHere.resolve('@grpc/reflection/package.json')),
  'build/proto/grpc/reflection/v1/reflection.proto',
);

export type ReflectionRequest =
  | { readonly list_services: string }
  | { readonly file_containing_symbol: string }
  | { readonly file_by_filename: string };

export interface ReflectionResponse {
  /** Names listed by a list_services request. */
  readonly services?: string[];
  /** Files of a file_* request, decoded (the requested one first, then its dependencies). */
  readonly files?: DescriptorNs.IFileDescriptorProto[];
  readonly error?: { readonly error_code: number; readonly error_message: string };
}

type ReflectionClient = grpc.Client & {
  ServerReflectionInfo(): grpc.ClientDuplexStream<object, Record<string, unknown>>;
};

/** The answers, in order, of the reflection service at `address` to `requests`. */
export async function reflect(address: string, requests: readonly ReflectionRequest[]): Promise<ReflectionResponse[]> {
  const pkg = protoLoader.loadSync(reflectionProto, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const Ctor = (
    grpc.loadPackageDefinition(pkg) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
    }
  ).grpc.reflection.v1.ServerReflection;
  const client = new Ctor(address, grpc.credentials.createInsecure()) as unknown as ReflectionClient;
  try {
    const raw: Array<Record<string, unknown>> = [];
    await new Promise<void>((resolve, reject) => {
      const stream = client.ServerReflectionInfo();
      stream.on('data', (r: Record<string, unknown>) => raw.push(r));
      stream.on('error', reject);
      stream.on('end', () => resolve());
      for (const request of requests) stream.write(request);
      stream.end();
    });
    return raw.map((r) => {
      const list = r['list_services_response'] as { service: Array<{ name: string }> } | null;
      const files = r['file_descriptor_response'] as { file_descriptor_proto: Buffer[] } | null;
      const error = r['error_response'] as ReflectionResponse['error'] | null;
      return {
        ...(list ? { services: list.service.map((s) => s.name) } : {}),
        ...(files ? { files: files.file_descriptor_proto.map((b) => decodeFile(b)) } : {}),
        ...(error ? { error } : {}),
      };
    });
  } finally {
    client.close();
  }
}

function decodeFile(bytes: Uint8Array): DescriptorNs.IFileDescriptorProto {
  const message = descriptor.FileDescriptorProto.decode(bytes) as ProtobufNs.Message &
    DescriptorNs.IFileDescriptorProto;
  return descriptor.FileDescriptorProto.toObject(message, {
    enums: String,
    defaults: false,
  }) as DescriptorNs.IFileDescriptorProto;
}
