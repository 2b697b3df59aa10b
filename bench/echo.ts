/**
 * The empty unary call baseline: `guardyn.bench.Echo/Call(EchoRequest{payload}) → EchoReply{}`.
 *
 * The server runs in its own child process (like the real gateway), the load comes from the
 * load generator's child processes (load.ts), and the request carries the same payload size as
 * SendMessage will. Its rate is the gRPC transport's ceiling on this machine.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {
  DEFAULT_LOADER_OPTIONS,
  forkTsChild,
  nextMessage,
  runUnaryLoad,
  stopChild,
  type RequestBuilderFactory,
  type UnaryLoadResult,
} from './load.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const CHILD_FLAG = '--guardyn-bench-echo-server';

export const ECHO_PROTO: string = path.join(path.dirname(THIS_FILE), 'echo.proto');
export const ECHO_SERVICE = 'guardyn.bench.Echo';
export const ECHO_METHOD = 'Call';

export interface EchoServer {
  /** `127.0.0.1:<port>` */
  readonly target: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the server process (its pid only). Safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts the echo server in a child process on a free loopback port. */
export async function startEchoServer(): Promise<EchoServer> {
  const child = forkTsChild(THIS_FILE, [CHILD_FLAG]);
  try {
    const { port } = await nextMessage<{ type: 'listening'; port: number }>(child, 'listening', 30_000, 'echo server');
    let stopping: Promise<void> | undefined;
    return {
      target: `127.0.0.1:${port}`,
      port,
      pid: child.pid as number,
      stop: () => (stopping ??= stopChild(child)),
    };
  } catch (e) {
    await stopChild(child);
    throw e;
  }
}

/** Request factory for the load generator: one random payload of `payloadBytes`, reused by every call. */
export const makeEchoRequest: RequestBuilderFactory = (ctx) => {
  const request = { payload: randomBytes(ctx.payloadBytes) };
  return () => request;
};

export interface EchoOptions {
  readonly concurrency: number;
  readonly processes: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly payloadBytes: number;
  readonly streamsPerChannel?: number | undefined;
  /** Row name; default `grpc empty unary (echo)`. */
  readonly name?: string | undefined;
}

/** Starts an echo server, drives it with runUnaryLoad, stops it; returns the figure. */
export async function measureEcho(opts: EchoOptions): Promise<UnaryLoadResult> {
  const server = await startEchoServer();
  try {
    return await runUnaryLoad({
      name: opts.name ?? 'grpc empty unary (echo)',
      target: server.target,
      proto: { files: [ECHO_PROTO] },
      service: ECHO_SERVICE,
      method: ECHO_METHOD,
      makeRequest: { module: THIS_FILE, exportName: 'makeEchoRequest' },
      concurrency: opts.concurrency,
      processes: opts.processes,
      durationMs: opts.durationMs,
      warmupMs: opts.warmupMs,
      payloadBytes: opts.payloadBytes,
      streamsPerChannel: opts.streamsPerChannel,
      observePids: { server: server.pid },
    });
  } finally {
    await server.stop();
  }
}

// ---- the server process ----

async function serverMain(): Promise<void> {
  const pkgDef = protoLoader.loadSync(ECHO_PROTO, DEFAULT_LOADER_OPTIONS);
  const service = pkgDef[ECHO_SERVICE] as grpc.ServiceDefinition;
  // Channelz off, as on Guardyn's gateways (gateways/grpc/server.ts): the same server settings on both sides.
  const server = new grpc.Server({ 'grpc.enable_channelz': 0 });
  server.addService(service, {
    [ECHO_METHOD]: (_call: grpc.ServerUnaryCall<unknown, object>, callback: grpc.sendUnaryData<object>) =>
      callback(null, {}),
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  const shutdown = (): void => {
    server.forceShutdown();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('disconnect', shutdown); // the parent went away
  process.send?.({ type: 'listening', port });
}

if (process.argv[2] === CHILD_FLAG && process.argv[1] !== undefined && path.resolve(process.argv[1]) === THIS_FILE) {
  serverMain().catch((e: unknown) => {
    process.send?.({ type: 'fatal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.exit(1);
  });
}
