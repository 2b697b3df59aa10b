/**
 * gRPC calls run in-process: the gRPC-Web bridge hands a request's bytes to the
 * very handler grpc-js runs for the method (the served bindings of
 * gateways/grpc/server.ts `servedService`), with call objects that behave as
 * grpc-js's own, so a handler cannot tell the transports apart:
 *
 * - the request is decoded with the method's `requestDeserialize` (a failure
 *   answers as grpc-js does: INTERNAL "Error deserializing request", unless the
 *   served definition decodes leniently and its handler answers itself);
 * - `metadata`, `getPeer()` (the browser's `address:port`), `getDeadline()`
 *   (from grpc-timeout; Infinity without one), `getPath()`, `getHost()`,
 *   `cancelled` and the 'cancelled' event (the browser went away, the deadline
 *   passed, or the call ended: grpc-js emits it then too);
 * - unary: the callback `(err, value, trailer)`; server streams: a Writable
 *   whose `write` returns false while the browser's socket is full (back-pressure
 *   through 'drain'), `end(trailer)`, and `emit('error', { code, details,
 *   metadata })` ending the call with that status;
 * - a handler that throws answers UNKNOWN, a missing handler UNIMPLEMENTED, a
 *   response that cannot be encoded INTERNAL, each with grpc-js's wording;
 * - the deadline answers DEADLINE_EXCEEDED "Deadline exceeded".
 *
 * The first status wins; messages after it are dropped, as grpc-js does.
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import type { ServiceBinding } from '../grpc/server.ts';

type AnyHandler = (call: unknown, callback?: grpc.sendUnaryData<unknown>) => void;
type LoadedMethod = grpc.MethodDefinition<unknown, unknown> & { readonly originalName?: string };

/** One method of a served service: its definition and the handler grpc-js runs for it. */
export interface RegisteredMethod {
  readonly path: string;
  readonly definition: grpc.MethodDefinition<unknown, unknown>;
  /** Bound to its implementation; undefined when the service does not implement the method. */
  readonly handler: AnyHandler | undefined;
  /** The method's name, as grpc-js names it in "does not implement". */
  readonly name: string;
}

/** Every method of the services by path (`/pkg.Service/Method`), looked up as grpc-js's addService does. */
export function methodRegistry(services: readonly ServiceBinding[]): Map<string, RegisteredMethod> {
  const methods = new Map<string, RegisteredMethod>();
  for (const { definition, implementation } of services) {
    for (const [name, m] of Object.entries(definition as Record<string, LoadedMethod>)) {
      const own = (key: string | undefined) =>
        key !== undefined && Object.hasOwn(implementation, key)
          ? (implementation[key] as unknown as AnyHandler)
          : undefined;
      const fn = own(name) ?? own(m.originalName);
      methods.set(m.path, { path: m.path, definition: m, name, handler: fn?.bind(implementation) });
    }
  }
  return methods;
}

/** What a dispatched call needs of the transport that carries it. */
export interface CallTransport {
  readonly metadata: grpc.Metadata;
  /** The client's `address:port` (grpc-js getPeer format), or 'unknown'. */
  readonly peer: string;
  readonly host: string;
  /** From grpc-timeout, in ms; undefined: no deadline. */
  readonly timeoutMs: number | undefined;
  /** One encoded response message; false: the transport is full, wait for `onDrain`. */
  send(message: Buffer): boolean;
  onDrain(listener: () => void): void;
  /** The call's status, exactly once (never after `cancel`). */
  finish(status: grpc.StatusObject): void;
}

export interface DispatchedCall {
  /** The client went away: the handler sees `cancelled` and 'cancelled'; no status is sent. */
  cancel(): void;
}

const sendErrorDetails = (process.env['GRPC_NODE_DEBUG_SEND_ERROR_DETAILS'] ?? 'false') === 'true';
const withDetails = (what: string, err: unknown): string =>
  sendErrorDetails ? `${what}: ${err instanceof Error ? err.message : String(err)}` : what;

/** A status whose trailing metadata may still be open (null), as grpc-js keeps it. */
type PartialStatus = Omit<grpc.StatusObject, 'metadata'> & { readonly metadata: grpc.Metadata | null };

/** grpc-js's serverErrorToStatus: what an error given to a callback or emitted on a stream answers. */
function errorToStatus(
  error: Partial<grpc.StatusObject> & { message?: string },
  trailer?: grpc.Metadata,
): PartialStatus {
  const numeric = typeof error.code === 'number' && Number.isInteger(error.code);
  return {
    code: numeric ? error.code! : grpc.status.UNKNOWN,
    details:
      numeric && typeof error.details === 'string'
        ? error.details
        : 'message' in error && error.message !== undefined
          ? error.message
          : 'Unknown Error',
    metadata: trailer ?? error.metadata ?? null,
  };
}

const MAX_TIMER_MS = 2 ** 31 - 1;

const status = (code: grpc.status, details: string, metadata?: grpc.Metadata | null): grpc.StatusObject => ({
  code,
  details,
  metadata: metadata ?? new grpc.Metadata(),
});

/** The state one call shares between its call object and the transport. */
class CallState {
  finished = false;
  private cancelNotified = false;
  private timer: NodeJS.Timeout | undefined;
  readonly deadline: number;
  call: (EventEmitter & { cancelled: boolean; destroy?: () => unknown }) | undefined;

  constructor(readonly transport: CallTransport) {
    this.deadline = transport.timeoutMs === undefined ? Infinity : Date.now() + transport.timeoutMs;
    // A timer holds at most 2^31-1 ms (about 24.8 days); a longer deadline never fires within a call's life.
    if (transport.timeoutMs !== undefined && transport.timeoutMs <= MAX_TIMER_MS) {
      this.timer = setTimeout(
        () => this.sendStatus(status(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded')),
        transport.timeoutMs,
      );
    }
  }

  sendMessage(message: Buffer, written: () => void): void {
    if (this.finished) return written();
    if (this.transport.send(message)) written();
    else this.transport.onDrain(written);
  }

  sendStatus(s: PartialStatus): void {
    if (this.finished) return;
    this.finished = true;
    this.transport.finish({ ...s, metadata: s.metadata ?? new grpc.Metadata() });
    // grpc-js tells the handler a call is over through 'cancelled', however it ended.
    process.nextTick(() => this.notifyCancel());
  }

  cancel(): void {
    if (this.finished) return;
    this.finished = true;
    this.notifyCancel();
  }

  private notifyCancel(): void {
    if (this.cancelNotified) return;
    this.cancelNotified = true;
    clearTimeout(this.timer);
    const call = this.call;
    if (call === undefined) return;
    call.cancelled = true;
    call.emit('cancelled', 'cancelled');
    call.destroy?.();
  }
}

/** The parts of grpc-js's ServerSurfaceCall both call kinds share. */
interface Surface {
  getPeer(): string;
  sendMetadata(metadata: grpc.Metadata): void;
  getDeadline(): grpc.Deadline;
  getPath(): string;
  getHost(): string;
  getAuthContext(): ReturnType<grpc.ServerUnaryCall<unknown, unknown>['getAuthContext']>;
  getMetricsRecorder(): ReturnType<grpc.ServerUnaryCall<unknown, unknown>['getMetricsRecorder']>;
}

function surface(state: CallState, path: string): Surface {
  return {
    getPeer: () => state.transport.peer,
    // Initial metadata travels as HTTP headers, which gRPC-Web sends before the handler runs: nothing to add.
    sendMetadata: () => undefined,
    getDeadline: () => state.deadline,
    getPath: () => path,
    getHost: () => state.transport.host,
    getAuthContext: () => ({}) as ReturnType<Surface['getAuthContext']>,
    getMetricsRecorder: () => NO_METRICS,
  };
}

const NO_METRICS = {
  setRequestCost: () => undefined,
  setUtilization: () => undefined,
  setNamedMetric: () => undefined,
} as unknown as ReturnType<Surface['getMetricsRecorder']>;

/** ServerUnaryCall as grpc-js makes it. */
interface WebUnaryCall extends Surface {}
class WebUnaryCall extends EventEmitter {
  cancelled = false;
  constructor(
    readonly request: unknown,
    readonly metadata: grpc.Metadata,
    s: Surface,
  ) {
    super();
    Object.assign(this, s);
  }
}

/** ServerWritableStream as grpc-js makes it: an object-mode Writable of response messages. */
interface WebServerStream extends Surface {}
class WebServerStream extends Writable {
  cancelled = false;
  private trailing = new grpc.Metadata();
  private pending: PartialStatus | undefined;

  constructor(
    readonly request: unknown,
    readonly metadata: grpc.Metadata,
    s: Surface,
    private readonly state: CallState,
    private readonly serialize: (value: unknown) => Buffer,
  ) {
    super({ objectMode: true });
    Object.assign(this, s);
    this.on('error', (err: Partial<grpc.StatusObject>) => {
      this.pending = errorToStatus(err);
      this.end();
    });
  }

  override _write(chunk: unknown, _encoding: string, callback: (err?: Error | null) => void): void {
    let bytes: Buffer;
    try {
      bytes = this.serialize(chunk);
    } catch (err) {
      this.state.sendStatus(status(grpc.status.INTERNAL, withDetails('Error serializing response', err)));
      return callback();
    }
    this.state.sendMessage(bytes, () => callback());
  }

  override _final(callback: (err?: Error | null) => void): void {
    callback(null);
    const { code, details, metadata } = this.pending ?? { code: grpc.status.OK, details: 'OK', metadata: null };
    this.state.sendStatus({ code, details, metadata: metadata ?? this.trailing });
  }

  override end(metadata?: unknown): this {
    if (metadata instanceof grpc.Metadata) this.trailing = metadata;
    return super.end();
  }
}

/**
 * Runs `method`'s handler for one request; the answer goes to `transport`.
 * Client-streaming methods cannot be dispatched (the caller refuses them).
 */
export function dispatch(method: RegisteredMethod, requestBytes: Buffer, transport: CallTransport): DispatchedCall {
  const state = new CallState(transport);
  const { definition, handler } = method;
  if (handler === undefined) {
    state.sendStatus(status(grpc.status.UNIMPLEMENTED, `The server does not implement the method ${method.name}`));
    return state;
  }
  let request: unknown;
  try {
    request = definition.requestDeserialize(requestBytes);
  } catch (err) {
    state.sendStatus(status(grpc.status.INTERNAL, withDetails('Error deserializing request', err)));
    return state;
  }
  const s = surface(state, method.path);
  const serialize = (value: unknown): Buffer => definition.responseSerialize(value);
  try {
    if (definition.responseStream) {
      const call = new WebServerStream(request, transport.metadata, s, state, serialize);
      state.call = call;
      handler(call);
    } else {
      const call = new WebUnaryCall(request, transport.metadata, s);
      state.call = call;
      handler(call, (err, value, trailer) => {
        if (err) return state.sendStatus(errorToStatus(err as Partial<grpc.StatusObject>, trailer));
        let bytes: Buffer;
        try {
          bytes = serialize(value);
        } catch (e) {
          return state.sendStatus(status(grpc.status.INTERNAL, withDetails('Error serializing response', e)));
        }
        state.sendMessage(bytes, () => state.sendStatus(status(grpc.status.OK, 'OK', trailer)));
      });
    }
  } catch (err) {
    state.sendStatus(
      status(
        grpc.status.UNKNOWN,
        sendErrorDetails ? `Server method handler threw error ${(err as Error)?.message}` : 'Unknown error',
      ),
    );
  }
  return state;
}
