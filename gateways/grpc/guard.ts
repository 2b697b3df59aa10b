/**
 * The per-call fault boundary of every gRPC service (startGrpcServer wraps each
 * implementation with it): a handler that throws synchronously, or returns a
 * promise that rejects, ends only its own call, with status INTERNAL and an
 * incident id that is also in the log line (gateways/shared/errors.ts), and never
 * reaches the process. The handlers made with `unary()` and the streams already
 * answer their own faults; this is the net under all of them.
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { fromInfrastructure } from '../shared/errors.ts';
import { statusOf } from './stream-errors.ts';

type AnyHandler = (call: unknown, callback?: unknown) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export function guardImplementation(
  definition: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  logger: Logger,
): grpc.UntypedServiceImplementation {
  const guarded: grpc.UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(implementation)) {
    const method = definition[name];
    if (method === undefined || typeof handler !== 'function') {
      guarded[name] = handler;
      continue;
    }
    const answersWithCallback = !method.responseStream;
    const fail = (call: { emit(event: string, ...args: unknown[]): boolean }, callback: unknown, err: unknown) => {
      const status = statusOf(fromInfrastructure(err, logger.child({ method: method.path })));
      try {
        if (answersWithCallback) (callback as grpc.sendUnaryData<unknown>)(status);
        else call.emit('error', status);
      } catch {
        // the call is gone, or was already answered
      }
    };
    guarded[name] = ((call: { emit(event: string, ...args: unknown[]): boolean }, callback?: unknown) => {
      try {
        const result = (handler as AnyHandler)(call, callback);
        if (isThenable(result)) result.then(undefined, (err: unknown) => fail(call, callback, err));
      } catch (err) {
        fail(call, callback, err);
      }
    }) as grpc.UntypedHandleCall;
  }
  return guarded;
}
