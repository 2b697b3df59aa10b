/**
 * One gRPC server: Guardyn services plus standard health (grpc.health.v1) and
 * server reflection of those (gateways/grpc/reflection.ts), on an insecure
 * port (TLS terminates at Envoy in front).
 *
 * Limits: a request may be at most `maxReceiveMessageLength` (default 2 MiB:
 * the 1 MiB content limit plus headroom); larger ones fail with gRPC status
 * RESOURCE_EXHAUSTED before any handler runs. Responses are not capped (a page
 * of 100 ciphertexts can be large). Keepalive pings find dead peers of long
 * streams (ReceiveMessages, Subscribe) within about keepaliveTime + timeout.
 *
 * `unary` wraps each handler: it times the call into guardyn_rpc_seconds and
 * turns anything thrown into a contract error, so a bug or an infrastructure
 * fault answers `{ error: { code: 'INTERNAL_ERROR' | 'SERVICE_UNAVAILABLE' } }`
 * and never crashes the process.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatusMap } from 'grpc-health-check';
import type { Logger } from 'pino';
import { rpcLatency } from '../../runtime/metrics.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { fromInfrastructure, isErrorCode, type ErrorReply, type ErrorResponseShape } from '../shared/errors.ts';
import { reflectionFor } from './reflection.ts';
import type { Readiness } from '../../runtime/readiness.ts';
import { packageDefinition as guardynPackage } from './proto.ts';
import { tolerateUndecodable } from './undecodable.ts';
import { guardImplementation } from './guard.ts';

export const DEFAULT_MAX_RECEIVE_MESSAGE_LENGTH = 2 * 1024 * 1024;
const DEFAULT_KEEPALIVE_TIME_MS = 60_000;
const DEFAULT_KEEPALIVE_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_CONCURRENT_STREAMS = 1000;
const DEFAULT_SHUTDOWN_GRACE_MS = 5000;

export interface ServiceBinding {
  readonly definition: grpc.ServiceDefinition;
  readonly implementation: grpc.UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  readonly host: string;
  /** 0 picks a free port; the result says which. */
  readonly port: number;
  readonly services: readonly ServiceBinding[];
  readonly logger: Logger;
  /** Largest request accepted, in bytes. Default 2 MiB. */
  readonly maxReceiveMessageLength?: number;
  /** Idle time before the server pings a connection. Default 60 s. */
  readonly keepaliveTimeMs?: number;
  /** How long a ping may go unanswered before the connection is closed. Default 20 s. */
  readonly keepaliveTimeoutMs?: number;
  /** Concurrent calls per connection. Default 1000. */
  readonly maxConcurrentStreams?: number;
  /** How long stop() lets running calls finish before cutting them. Default 5 s. */
  readonly shutdownGraceMs?: number;
  /** The process's readiness: health says NOT_SERVING until it serves. Default: SERVING at once. */
  readonly readiness?: Readiness;
}

export interface RunningGrpcServer {
  /** The port actually bound (the ephemeral one when asked for 0). */
  readonly port: number;
  readonly server: grpc.Server;
  /** grpc.health.v1 statuses of '' and every added service: SERVING once the readiness serves (at once without one). */
  readonly health: HealthImplementation;
  /** The services as served (servedService): what the gRPC-Web bridge dispatches to in-process. */
  readonly services: readonly ServiceBinding[];
  /** Marks everything NOT_SERVING, lets calls finish for the grace time, then cuts the rest. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A service as it is served: the method definitions (request decoding) and the
 * handlers grpc-js gets here, and the very same ones the gRPC-Web bridge runs
 * in-process (gateways/grpc-web/dispatch.ts). Anything that must apply to every
 * call of a service on both transports (request decoding, guards around the
 * handlers) is added here, once.
 */
export function servedService(binding: ServiceBinding, logger: Logger = silentLogger): ServiceBinding {
  // A request protobuf cannot decode is the client's mistake (INVALID_ARGUMENT / INVALID_REQUEST), not INTERNAL.
  const { definition, implementation } = tolerateUndecodable(
    binding.definition,
    binding.implementation,
    guardynPackage,
  );
  // Each call's faults stay in that call (gateways/grpc/guard.ts).
  return { definition, implementation: guardImplementation(definition, implementation, logger) };
}

/** `pkg.Service` of a service definition, read from its methods' paths (`/pkg.Service/Method`). */
export function serviceNameOf(definition: grpc.ServiceDefinition): string {
  const first = Object.values(definition)[0] as grpc.MethodDefinition<unknown, unknown> | undefined;
  const name = first?.path.split('/')[1];
  if (name === undefined || name === '') throw new Error('a service definition without methods has no name');
  return name;
}

export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { logger } = options;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxReceiveMessageLength ?? DEFAULT_MAX_RECEIVE_MESSAGE_LENGTH,
    'grpc.keepalive_time_ms': options.keepaliveTimeMs ?? DEFAULT_KEEPALIVE_TIME_MS,
    'grpc.keepalive_timeout_ms': options.keepaliveTimeoutMs ?? DEFAULT_KEEPALIVE_TIMEOUT_MS,
    'grpc.max_concurrent_streams': options.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS,
    // Channelz (per-call and per-connection counters with timestamps, for grpc-js's admin service) is
    // not served here; its bookkeeping cost about 3 % of a gateway's CPU per call (docs/BENCHMARKS.md).
    'grpc.enable_channelz': 0,
  });

  const serviceNames = options.services.map((s) => serviceNameOf(s.definition));
  const services = options.services.map((service) => servedService(service, logger));
  for (const { definition, implementation } of services) server.addService(definition, implementation);

  const initial = options.readiness === undefined || options.readiness.serving ? 'SERVING' : 'NOT_SERVING';
  const statuses: ServingStatusMap = { '': initial };
  for (const name of serviceNames) statuses[name] = initial;
  const health = new HealthImplementation(statuses);
  health.addToServer(server);
  const unfollow = options.readiness?.onChange((state) => {
    for (const name of Object.keys(statuses)) health.setStatus(name, state === 'serving' ? 'SERVING' : 'NOT_SERVING');
  });
  // Reflection lists this port's services, health and reflection, with complete descriptors (reflection.ts).
  reflectionFor(serviceNames).addToServer(server);

  const address = `${options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err !== null) reject(new Error(`gRPC server could not listen on ${address}: ${err.message}`));
      else resolve(bound);
    });
  }).catch((err: unknown) => {
    unfollow?.();
    server.forceShutdown();
    throw err;
  });
  logger.info({ address: `${options.host}:${port}`, services: serviceNames }, 'gRPC server listening');

  const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      unfollow?.();
      for (const name of Object.keys(statuses)) health.setStatus(name, 'NOT_SERVING');
      const deadline = setTimeout(() => {
        logger.warn({ graceMs }, 'gRPC calls still running after the grace time: cutting them');
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(deadline);
        resolve();
      });
    }).then(() => logger.info({ port }, 'gRPC server stopped'));
    return stopping;
  };

  return { port, server, health, services, stop };
}

// ---------------------------------------------------------------------------
// Unary handlers
// ---------------------------------------------------------------------------

export interface RpcContext {
  /** A child logger carrying the method and correlation id. */
  readonly logger: Logger;
  /** From `x-correlation-id` / `x-request-id` metadata when sane, else a fresh UUID. */
  readonly correlationId: string;
}

export type UnaryHandler<Req, Res> = (
  call: grpc.ServerUnaryCall<Req, Res | ErrorReply>,
  context: RpcContext,
) => Promise<Res | ErrorReply>;

/** The response type of a generated unary handler type (`AuthServiceHandlers['Login']`, gateways/grpc/generated/). */
export type ResponseOf<H> = H extends grpc.handleUnaryCall<infer _Req, infer Res> ? Res : never;

/**
 * What a unary handler of the generated handler type `H` answers: its response type, or a bare
 * error. Declare it as the handler's return type (`async (call, ctx): ReplyOf<Rpc['Login']> => ...`):
 * only a declared return type makes the compiler check each response literally (a misspelt or
 * unknown field is then an error; inferred, it would pass as long as the rest fits).
 */
export type ReplyOf<H> = Promise<ResponseOf<H> | ErrorReply>;

/**
 * A grpc-js unary handler from an async function returning the response
 * object. `method` labels the latency metric and the logs (e.g.
 * 'messaging.SendMessage'); the outcome label is the response's error code,
 * or OK. Placed in an object typed with a service's generated handlers, the
 * request arrives as its generated type, and the response (declared with
 * ReplyOf) is checked against the generated one, which must also accept
 * `{ error }` (a fault can always be answered).
 */
export function unary<Req, Res>(
  method: string,
  logger: Logger,
  handler: UnaryHandler<Req, Res>,
): grpc.handleUnaryCall<Req, Res | ErrorReply> {
  return answered(method, logger, handler, (error) => ({ error }));
}

/**
 * `unary` for a response without an `error` member (HealthStatus):
 * `onFault` gives the answer to a fault (the contract error it would have
 * been), and the outcome label is that error's code.
 */
export function answered<Req, Res>(
  method: string,
  logger: Logger,
  handler: (call: grpc.ServerUnaryCall<Req, Res>, context: RpcContext) => Promise<Res>,
  onFault: (error: ErrorResponseShape) => Res,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const endTimer = rpcLatency.startTimer({ method });
    const context = new CallContext(logger, method, correlationIdOf(call));
    void answer(handler, call, context, onFault)
      .then((response) => {
        const code = context.fault?.code ?? outcomeOf(response);
        endTimer({ code });
        // Asked first: reading context.logger makes the child logger this call otherwise never needs.
        if (logger.isLevelEnabled('debug')) context.logger.debug({ code }, 'rpc answered');
        try {
          callback(null, response);
        } catch (err) {
          context.logger.error({ err }, 'could not send the response');
        }
      })
      .catch(() => {
        // Only reached if error handling itself failed: answer with a bare status rather than hang or crash.
        try {
          callback({ code: grpc.status.INTERNAL, details: 'internal error' });
        } catch {
          // the call is gone; nothing left to answer
        }
      });
  };
}

/**
 * One call's context. A class rather than closures made per call: tsx names every function
 * made at run time (a property definition each), and the wrapper runs on every call.
 */
class CallContext implements RpcContext {
  /** The contract error a fault of the handler was answered with. */
  fault: ErrorResponseShape | undefined;
  // The child logger is made on first use: most calls log nothing, and a pino child
  // (with its redaction setup) costs more than the rest of a small call.
  private child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly method: string,
    readonly correlationId: string,
  ) {}

  get logger(): Logger {
    return (this.child ??= this.parent.child({ method: this.method, correlationId: this.correlationId }));
  }
}

/** The handler's response, or the answer to its fault (then recorded on the context). */
async function answer<Req, Res>(
  handler: (call: grpc.ServerUnaryCall<Req, Res>, context: RpcContext) => Promise<Res>,
  call: grpc.ServerUnaryCall<Req, Res>,
  context: CallContext,
  onFault: (error: ErrorResponseShape) => Res,
): Promise<Res> {
  try {
    return await handler(call, context);
  } catch (err) {
    context.fault = fromInfrastructure(err, context.logger);
    return onFault(context.fault);
  }
}

/** The contract outcome of a response: its error code, or OK. */
function outcomeOf(response: unknown): string {
  if (typeof response !== 'object' || response === null) return 'OK';
  const error = (response as { readonly error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return 'OK';
  const code = (error as { readonly code?: unknown }).code;
  return isErrorCode(code) ? code : 'UNKNOWN';
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** One id per call, so the wrapper's logs and the handler's commands agree. */
const correlationIds = new WeakMap<grpc.Metadata, string>();

/**
 * The correlation id of a call: its `x-correlation-id` (or `x-request-id`)
 * metadata when that is 1-64 characters of [A-Za-z0-9._:-], else a UUID made
 * once per call. The same as `RpcContext.correlationId` of that call.
 */
export function correlationIdOf(call: { readonly metadata: grpc.Metadata }): string {
  const known = correlationIds.get(call.metadata);
  if (known !== undefined) return known;
  let id: string | undefined;
  for (const key of ['x-correlation-id', 'x-request-id']) {
    const value = call.metadata.get(key)[0];
    if (typeof value === 'string' && SANE_ID.test(value)) {
      id = value;
      break;
    }
  }
  id ??= randomUUID();
  correlationIds.set(call.metadata, id);
  return id;
}
