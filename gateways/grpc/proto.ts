/**
 * The four Guardyn gRPC services, loaded once from proto/guardyn/*.proto with
 * @grpc/proto-loader, as grpc-js service definitions.
 *
 * Loader options, and what they mean for handlers (requests arrive, responses
 * are given, as plain objects):
 * - keepCase: true: field names stay snake_case as in the .proto files
 *   (`access_token`, not `accessToken`), the names the wire contract uses.
 * - longs: String: int64/uint64 fields (Timestamp.seconds, min_seq, seq,
 *   size_bytes) arrive as decimal strings, so no value above 2^53 is silently
 *   rounded. Send them back as strings or as (safe-integer) numbers.
 * - enums: String: enum fields arrive as value names ('TEXT'); a number the
 *   proto does not define arrives as a number (validation rejects it). Send
 *   names (numbers are accepted too).
 * - bytes: Buffer: bytes fields arrive as Buffers; send Buffer or Uint8Array.
 * - defaults: true: an absent scalar arrives as its proto3 default ('' / 0 /
 *   false / first enum name / '0' for longs), an absent message field as null,
 *   an absent repeated field as [], an absent map as {}. So "not given" and
 *   "given empty" are the same for scalars, and validation treats '' as absent.
 * - oneofs: true: a oneof also yields a virtual property holding the name of the
 *   member that is set (`result: 'error'`, `content: 'chunk'`). To answer, set
 *   exactly one member (`{ error: {...} }`); leave the others out.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as protoLoader from '@grpc/proto-loader';
import type * as grpc from '@grpc/grpc-js';
import type { Message } from './generated/guardyn/messaging/Message.ts';

/** Directory that `import "guardyn/common.proto"` resolves from. */
export const PROTO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'proto');

export const PROTO_FILES = [
  'guardyn/common.proto',
  'guardyn/auth.proto',
  'guardyn/messaging.proto',
  'guardyn/presence.proto',
  'guardyn/media.proto',
  'guardyn/call.proto',
] as const;

export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

/** Fully qualified names of the four services, as health checks and reflection know them. */
export const SERVICE_NAMES = {
  auth: 'guardyn.auth.AuthService',
  messaging: 'guardyn.messaging.MessagingService',
  presence: 'guardyn.presence.PresenceService',
  media: 'guardyn.media.MediaService',
  call: 'guardyn.call.CallService',
} as const;

export type GuardynServiceName = (typeof SERVICE_NAMES)[keyof typeof SERVICE_NAMES];

let loaded: protoLoader.PackageDefinition | undefined;

/** The package definition of all Guardyn protos (read from disk on the first call only). */
export function guardynPackageDefinition(): protoLoader.PackageDefinition {
  loaded ??= protoLoader.loadSync([...PROTO_FILES], PROTO_LOADER_OPTIONS);
  return loaded;
}

/** The grpc-js service definition of one Guardyn service. */
export function serviceDefinition(name: GuardynServiceName): grpc.ServiceDefinition {
  const def = guardynPackageDefinition()[name];
  if (def === undefined || 'format' in def) throw new Error(`${name} is not a service in ${PROTO_ROOT}`);
  return def;
}

/** The full package definition, for clients in tests (reflection serves gateways/grpc/descriptors.ts instead). */
export const packageDefinition = guardynPackageDefinition();
export const authService = serviceDefinition(SERVICE_NAMES.auth);
/**
 * The messaging service as served: ReceiveMessages also takes a Message already encoded (a Buffer),
 * so a message streamed to many devices (a group's members) is encoded once for all of them.
 */
export const messagingService: grpc.ServiceDefinition = (() => {
  const def = serviceDefinition(SERVICE_NAMES.messaging);
  const receive = def['ReceiveMessages']!;
  const encode = receive.responseSerialize;
  return {
    ...def,
    ReceiveMessages: {
      ...receive,
      responseSerialize: (value: unknown) => (Buffer.isBuffer(value) ? value : encode(value)),
    },
  };
})();
/** A guardyn.messaging.Message already encoded, for ReceiveMessages (messagingService writes it as it is). */
export type EncodedMessage = Buffer & { readonly __encoded: 'guardyn.messaging.Message' };
/** Encodes a ReceiveMessages response once (the stream writes the bytes as they are). */
export const encodeStreamedMessage = (message: Message): EncodedMessage =>
  serviceDefinition(SERVICE_NAMES.messaging)['ReceiveMessages']!.responseSerialize(message) as EncodedMessage;
export const presenceService = serviceDefinition(SERVICE_NAMES.presence);
export const mediaService = serviceDefinition(SERVICE_NAMES.media);
/** The call service (an extension package: guardyn.call, docs/CALLS.md). */
export const callService = serviceDefinition(SERVICE_NAMES.call);
