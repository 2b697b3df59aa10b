/**
 * Ending a server stream with a contract error: a stream has no response body
 * to carry the ErrorResponse, so the code travels as the gRPC status and in
 * `guardyn-error-code` metadata, each detail as `guardyn-error-<name>`. The
 * same status answers a unary RPC whose response has no `error` member.
 */
import * as grpc from '@grpc/grpc-js';
import { ClientMistake, type ErrorCode, type ErrorResponseShape } from '../shared/errors.ts';

const STATUS: Partial<Record<ErrorCode, grpc.status>> = {
  UNAUTHORIZED: grpc.status.UNAUTHENTICATED,
  INVALID_REQUEST: grpc.status.INVALID_ARGUMENT,
  FORBIDDEN: grpc.status.PERMISSION_DENIED,
  NOT_FOUND: grpc.status.NOT_FOUND,
  SERVICE_UNAVAILABLE: grpc.status.UNAVAILABLE,
  RATE_LIMITED: grpc.status.RESOURCE_EXHAUSTED,
};

/** A contract error as a gRPC status: the code mapped, `guardyn-error-code` and each detail as metadata. */
export function statusOf(error: ErrorResponseShape): Partial<grpc.StatusObject> & { code: grpc.status } {
  const metadata = new grpc.Metadata();
  metadata.set('guardyn-error-code', error.code);
  for (const [k, v] of Object.entries(error.details))
    metadata.set(`guardyn-error-${k.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`, v);
  return { code: STATUS[error.code] ?? grpc.status.INTERNAL, details: error.message, metadata };
}

export function failStream(call: grpc.ServerWritableStream<unknown, unknown>, error: ErrorResponseShape): void {
  try {
    call.emit('error', statusOf(error));
  } catch {
    // the call is gone
  }
}

/**
 * The frames of a client stream, one `next()` at a time. A stream that breaks
 * off (a frame that cannot be decoded, a cancelled call, a reset connection)
 * fails with a ClientMistake: the client's doing, logged at warn and rate-limited.
 */
export function clientFrames<T>(call: grpc.ServerReadableStream<T, unknown>): AsyncIterator<T> {
  const frames = call[Symbol.asyncIterator]() as AsyncIterator<T>;
  return {
    next: () =>
      frames.next().catch((err: unknown) => {
        throw brokenStream(err);
      }),
    return: async (value?: unknown) => (await frames.return?.(value)) ?? { done: true, value: undefined },
  };
}

/** A failure of a call the client cancelled is the client's doing; anything else stays as it is. */
export function clientMistakeIfCancelled(call: { readonly cancelled: boolean }, err: unknown): unknown {
  if (err instanceof ClientMistake || !call.cancelled) return err;
  return new ClientMistake('call-cancelled', 'the client cancelled the call', 'INVALID_REQUEST', {
    cause: err,
    level: 'info',
  });
}

function brokenStream(err: unknown): ClientMistake {
  // grpc-js ends the call (and marks it cancelled) on an undecodable frame just as on a cancellation.
  return new ClientMistake(
    'request-stream-broken',
    'the request stream ended early: the client cancelled the call, sent a frame that could not be decoded, or went away',
    'INVALID_REQUEST',
    { cause: err },
  );
}
