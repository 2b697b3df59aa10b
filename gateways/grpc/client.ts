/**
 * gRPC clients (for tests, benchmarks and scripts), built from nothing but the project's
 * proto files (as any guardyn app would be), with promise-returning calls.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_FILES, PROTO_LOADER_OPTIONS } from './proto.ts';

type Reply = Record<string, any>;
export type UnaryCall = (request: Record<string, unknown>, metadata?: grpc.Metadata) => Promise<Reply>;
export type ServiceClient = Record<string, UnaryCall> & { close(): void; raw: grpc.Client };

let loaded: grpc.GrpcObject | undefined;
function definitions(): grpc.GrpcObject {
  loaded ??= grpc.loadPackageDefinition(protoLoader.loadSync([...PROTO_FILES], PROTO_LOADER_OPTIONS));
  return loaded;
}

function lookup(path: string): grpc.ServiceClientConstructor {
  let node: unknown = definitions();
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
  return node as grpc.ServiceClientConstructor;
}

export function serviceClient(
  service:
    | 'guardyn.auth.AuthService'
    | 'guardyn.messaging.MessagingService'
    | 'guardyn.media.MediaService'
    | 'guardyn.presence.PresenceService'
    | 'guardyn.call.CallService',
  address: string,
): ServiceClient {
  const Ctor = lookup(service);
  const client = new Ctor(address, grpc.credentials.createInsecure());
  const out: Record<string, unknown> = { close: () => client.close(), raw: client };
  for (const method of Object.keys(Ctor.service)) {
    const fn = (client as unknown as Record<string, Function>)[method]!.bind(client);
    out[method] = (request: Record<string, unknown>, metadata = new grpc.Metadata()) =>
      new Promise<Reply>((resolve, reject) =>
        fn(request, metadata, { deadline: Date.now() + 30_000 }, (err: Error | null, reply: Reply) =>
          err ? reject(err) : resolve(reply),
        ),
      );
  }
  return out as ServiceClient;
}

export function bearer(token: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  return md;
}
