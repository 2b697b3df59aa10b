/**
 * Requests that protobuf cannot decode (truncated, a wrong wire type, a bad
 * tag) answered as the client's mistake, never as a server fault.
 *
 * grpc-js decodes a request before any handler runs, and answers INTERNAL
 * ("Error deserializing request") when decoding throws. `tolerateUndecodable`
 * gives a service lenient deserializers, which turn such bytes into an
 * `UndecodableRequest` naming the request type, and handlers that answer it
 * before the real handler would see it:
 *
 * - a unary RPC whose response has the contract's `error` member answers
 *   `{ error: INVALID_REQUEST "invalid request: could not decode <type>: ..." }`,
 *   like every other validation failure (details: field `request`, request_type);
 * - any other unary RPC (Health) and every server-streaming RPC end with gRPC
 *   status INVALID_ARGUMENT, the same message, and the `guardyn-error-code`
 *   (INVALID_REQUEST) and `guardyn-error-field` trailers of stream-errors.ts;
 * - client-streaming RPCs get the marker as a frame: their handler refuses it
 *   (see `isUndecodable`; media.ts UploadMedia).
 */
import * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { errorResponse, type ErrorResponseShape } from '../shared/errors.ts';
import { failStream, statusOf } from './stream-errors.ts';

/** Longest decoder reason passed on to the client. */
const MAX_REASON = 160;

/** What an undecodable request becomes: the request type and protobuf's reason. */
export class UndecodableRequest {
  constructor(
    /** Fully qualified protobuf name, e.g. guardyn.messaging.GetMessagesRequest. */
    readonly requestType: string,
    readonly reason: string,
  ) {}
}

export function isUndecodable(u: unknown): u is UndecodableRequest {
  return u instanceof UndecodableRequest;
}

/** "could not decode <type>: <reason>" */
export function undecodableReason(r: UndecodableRequest): string {
  return `could not decode ${r.requestType}: ${r.reason}`;
}

/** The contract error of an undecodable request; `field` names it (a stream frame may name its own). */
export function undecodableError(r: UndecodableRequest, field = 'request'): ErrorResponseShape {
  return errorResponse('INVALID_REQUEST', `invalid request: ${undecodableReason(r)}`, {
    field,
    request_type: r.requestType,
  });
}

interface MethodInfo {
  readonly requestType: string;
  /** The response has the contract's `error` member (guardyn.common.ErrorResponse). */
  readonly answersWithError: boolean;
}

type Descriptor = {
  readonly name?: string;
  readonly field?: ReadonlyArray<{ readonly name?: string; readonly typeName?: string }>;
};
type LoadedMethod = grpc.MethodDefinition<unknown, unknown> & {
  readonly requestType?: { readonly type?: Descriptor };
  readonly responseType?: { readonly type?: Descriptor };
};

/** The fully qualified name of a message `name` used by a method of service `pkg.Service`. */
function qualifiedName(name: string, servicePath: string, known: PackageDefinition | undefined): string {
  const service = servicePath.split('/')[1] ?? '';
  const pkg = service.slice(0, Math.max(0, service.lastIndexOf('.')));
  const local = pkg === '' ? name : `${pkg}.${name}`;
  if (known === undefined || local in known) return local;
  const elsewhere = Object.keys(known).filter((k) => k.endsWith(`.${name}`));
  return elsewhere.length === 1 ? elsewhere[0]! : local;
}

function describe(method: LoadedMethod, known: PackageDefinition | undefined): MethodInfo {
  const name = method.requestType?.type?.name ?? 'request';
  const fields = method.responseType?.type?.field ?? [];
  return {
    requestType: qualifiedName(name, method.path, known),
    answersWithError: fields.some(
      (f) => f.name === 'error' && /(^|\.)common\.ErrorResponse$|^ErrorResponse$/.test(f.typeName ?? ''),
    ),
  };
}

function reasonOf(err: unknown): string {
  const text = err instanceof Error ? err.message : 'malformed protobuf';
  // protobufjs says what is wrong and where ("invalid wire type 7 at offset 1"); never any content.
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}...` : text;
}

/**
 * `definition` with lenient request deserializers and `implementation` with
 * handlers that answer an undecodable request themselves (see the top of this
 * file). `known` (the package definition) lets request types from another
 * package be named fully.
 */
export function tolerateUndecodable(
  definition: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  known?: PackageDefinition,
): { definition: grpc.ServiceDefinition; implementation: grpc.UntypedServiceImplementation } {
  const lenient: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  const guarded: grpc.UntypedServiceImplementation = { ...implementation };
  for (const [name, m] of Object.entries(definition as Record<string, LoadedMethod>)) {
    const info = describe(m, known);
    const strict = m.requestDeserialize;
    lenient[name] = {
      ...m,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return strict(bytes);
        } catch (err) {
          return new UndecodableRequest(info.requestType, reasonOf(err));
        }
      },
    };
    const handler = implementation[name] as ((...args: never[]) => void) | undefined;
    if (handler === undefined || m.requestStream) continue; // client streams check their frames themselves
    guarded[name] = m.responseStream
      ? (call: grpc.ServerWritableStream<unknown, unknown>) => {
          if (isUndecodable(call.request)) return failStream(call, undecodableError(call.request));
          return (handler as (c: typeof call) => void)(call);
        }
      : (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
          if (!isUndecodable(call.request))
            return (handler as (c: typeof call, cb: typeof callback) => void)(call, callback);
          const error = undecodableError(call.request);
          try {
            if (info.answersWithError) callback(null, { error });
            else callback(statusOf(error));
          } catch {
            // the call is gone
          }
        };
  }
  return { definition: lenient as grpc.ServiceDefinition, implementation: guarded };
}
