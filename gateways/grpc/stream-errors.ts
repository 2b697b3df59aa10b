/**
 * Ending a server stream with a contract error: a stream has no response body
 * to carry the ErrorResponse, so the code travels as the gRPC status and in
 * `guardyn-error-code` metadata, each detail as `guardyn-error-<name>`.
 */
import * as grpc from '@grpc/grpc-js';
import type { ErrorCode, ErrorResponseShape } from './errors.ts';

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
  for (const [k, v] of Object.entries(error.details)) metadata.set(`guardyn-error-${k.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`, v);
  return { code: STATUS[error.code] ?? grpc.status.INTERNAL, details: error.message, metadata };
}

export function failStream(call: grpc.ServerWritableStream<unknown, unknown>, error: ErrorResponseShape): void {
  try {
    call.emit('error', statusOf(error));
  } catch {
    // the call is gone
  }
}
