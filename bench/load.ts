/**
 * A closed-loop gRPC unary load generator that runs in separate child processes, so the server
 * under test keeps its own event loop and the load generator's CPU is not charged to it.
 *
 * `runUnaryLoad(opts)` forks `opts.processes` children of this very file. Each child opens its
 * share of channels (one HTTP/2 connection per `streamsPerChannel` in-flight calls), builds its
 * requests with a factory named by module path + export (so any payload can be generated in the
 * child), keeps its share of `opts.concurrency` calls in flight for warmup + duration, and sends
 * back its latency samples (Float64Array of ns, structured-clone IPC). The parent merges them.
 *
 * Closed loop: each in-flight slot issues its next call as soon as the previous one completes.
 * A call counts toward the rate and the latency figures when it *completes* inside the measured
 * window [start + warmup, start + warmup + duration). A call is OK only when gRPC returned OK and
 * the reply has no `error` field set (Guardyn replies are `oneof result { success; error }`).
 * Errors are counted over the whole run (warmup and drain included); any error fails the benchmark.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { REPO_ROOT } from '../runtime/repo-root.ts';
import { cpuWindow, describeCpu, type CpuByLabel } from './machine.ts';
import { LatencyRecorder, nowNs, summarize, type Stats } from './stats.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const CHILD_FLAG = '--guardyn-bench-load-child';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** The proto-loader options the load generator (and the bench echo server) use by default. */
export const DEFAULT_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
};

/** Serializable loader settings (they cross the IPC channel, so no functions other than the defaults above). */
export interface ProtoSpec {
  /** .proto files, absolute or relative to one of includeDirs. */
  readonly files: readonly string[];
  readonly includeDirs?: readonly string[] | undefined;
  /** Overrides of DEFAULT_LOADER_OPTIONS limited to plain values (`longs`/`enums` stay String). */
  readonly keepCase?: boolean | undefined;
  readonly defaults?: boolean | undefined;
}

/** Names the request factory: `(await import(module))[exportName](ctx)` returns the builder of request i. */
export interface RequestFactoryRef {
  /** Absolute path (or file URL) of an ES module. */
  readonly module: string;
  readonly exportName: string;
  /** Any structured-cloneable value handed to the factory (e.g. tokens, user ids). */
  readonly arg?: unknown;
}

export interface RequestBuilderContext {
  readonly arg: unknown;
  /** 0-based index of this load process. */
  readonly processIndex: number;
  readonly processes: number;
  /** The payload size the run asks for (bytes). */
  readonly payloadBytes: number;
}

/** Builds request number i; i is unique across all load processes of one run (warmup included). */
export type RequestBuilder = (i: number) => object;
/** What a RequestFactoryRef's export must be. Called once per load process, before the clock starts. */
export type RequestBuilderFactory = (ctx: RequestBuilderContext) => RequestBuilder | Promise<RequestBuilder>;

export interface UnaryLoadOptions {
  /** Row name in the printed table. */
  readonly name: string;
  /** `host:port` */
  readonly target: string;
  readonly proto: ProtoSpec;
  /** Fully qualified service name, e.g. `guardyn.bench.Echo`. */
  readonly service: string;
  /** Method name as written in the .proto, e.g. `Call`. */
  readonly method: string;
  readonly makeRequest: RequestFactoryRef;
  /** Sent with every call. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /** Total calls in flight, over all processes (split as evenly as possible). */
  readonly concurrency: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Load generator child processes. */
  readonly processes: number;
  /** In-flight calls per channel (HTTP/2 connection); default 16. */
  readonly streamsPerChannel?: number | undefined;
  /** Passed to the request factory; default 1024. */
  readonly payloadBytes?: number | undefined;
  /**
   * Per-call deadline; default 10 s. 0: none (the run is still bounded: the parent gives up on
   * a child that has not reported by warmup + duration + 15 s and kills it).
   */
  readonly callDeadlineMs?: number | undefined;
  /**
   * Processes whose CPU use over the measured window is reported beside the figure, by label,
   * e.g. `{ server: pid }` (Linux /proc; the load generator's own CPU is always reported).
   */
  readonly observePids?: Readonly<Record<string, number>> | undefined;
}

export interface UnaryLoadSettings {
  readonly concurrency: number;
  readonly processes: number;
  readonly channels: number;
  readonly streamsPerChannel: number;
  readonly payloadBytes: number;
  readonly durationMs: number;
  readonly warmupMs: number;
}

export type UnaryLoadResult = Stats & {
  readonly settings: UnaryLoadSettings;
  /**
   * Percent of one core used over the measured window: `load` (all load generator processes
   * together), every label of `observePids`, and `other`: the rest of the machine's busy time
   * (other processes). A load figure near 100 x processes means the load generator, not the
   * server, may be the bottleneck; a large `other` means the figure was disturbed.
   */
  readonly cpu: CpuByLabel;
};

export { describeCpu };

/** `concurrency 64 (2 procs x 32, 4 channels), payload 1024 B` */
export function describeLoad(s: UnaryLoadSettings): string {
  return (
    `closed loop, concurrency ${s.concurrency} (${s.processes} proc x ${s.concurrency / s.processes}, ` +
    `${s.channels} channels), payload ${s.payloadBytes} B`
  );
}

// ---------------------------------------------------------------------------------------------
// Forking TypeScript children (shared with echo.ts)
// ---------------------------------------------------------------------------------------------

const ownedChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Forks `node --import tsx <file> <args...>` with an IPC channel (advanced serialization, so
 * typed arrays cross it). The child is SIGKILLed if this process exits while it is still running.
 */
export function forkTsChild(file: string, args: readonly string[]): ChildProcess {
  const child = fork(file, [...args], {
    cwd: REPO_ROOT, // `--import tsx` resolves from here
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  ownedChildren.add(child);
  child.once('exit', () => ownedChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of ownedChildren) {
        try {
          c.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  return child;
}

/** Resolves on the child's exit; SIGTERM, then SIGKILL after graceMs. Only ever signals this child's pid. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The next IPC message of the given type from the child, or a rejection on timeout / early exit. */
export function nextMessage<T extends { type: string }>(
  child: ChildProcess,
  type: T['type'],
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (m: unknown): void => {
      if (typeof m !== 'object' || m === null) return;
      const msg = m as { type?: unknown; message?: unknown };
      if (msg.type === 'fatal') {
        cleanup();
        reject(new Error(`${what} (pid ${child.pid}) failed: ${String(msg.message)}`));
      } else if (msg.type === type) {
        cleanup();
        resolve(m as T);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`${what} (pid ${child.pid}) exited (code ${code}, signal ${signal}) before sending '${type}'`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} (pid ${child.pid}) sent no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

// ---------------------------------------------------------------------------------------------
// Parent side
// ---------------------------------------------------------------------------------------------

interface ChildConfig {
  readonly target: string;
  readonly proto: ProtoSpec;
  readonly service: string;
  readonly method: string;
  readonly makeRequest: RequestFactoryRef;
  readonly metadata: Readonly<Record<string, string>>;
  readonly concurrency: number;
  readonly channels: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly processIndex: number;
  readonly processes: number;
  readonly payloadBytes: number;
  readonly callDeadlineMs: number;
}

type ToChild = { readonly type: 'init'; readonly config: ChildConfig } | { readonly type: 'start' };
interface ReadyMsg {
  readonly type: 'ready';
}
interface ResultMsg {
  readonly type: 'result';
  readonly samples: Float64Array;
  readonly errors: number;
  readonly measuredErrors: number;
  readonly errorSamples: readonly string[];
  readonly windowNs: number;
  readonly issued: number;
  /** process.cpuUsage() user + system over the measured window, µs. */
  readonly cpuMicros: number;
}

const INIT_TIMEOUT_MS = 30_000;
const DRAIN_GRACE_MS = 5_000;

/**
 * Runs the closed-loop load in `processes` children and merges their samples.
 * Never throws on RPC errors (they are counted in `errors`; use `assertNoErrors`); throws when a
 * child cannot start, connect, or report in time. Every child it forks is stopped before it returns.
 */
export async function runUnaryLoad(opts: UnaryLoadOptions): Promise<UnaryLoadResult> {
  const processes = Math.max(1, Math.floor(opts.processes));
  const concurrency = Math.max(processes, Math.floor(opts.concurrency));
  const streamsPerChannel = Math.max(1, Math.floor(opts.streamsPerChannel ?? 16));
  const payloadBytes = opts.payloadBytes ?? 1024;
  const callDeadlineMs = opts.callDeadlineMs ?? 10_000;

  const shares = Array.from(
    { length: processes },
    (_, p) => Math.floor(concurrency / processes) + (p < concurrency % processes ? 1 : 0),
  );
  const channelsOf = (share: number): number => Math.max(1, Math.ceil(share / streamsPerChannel));
  const settings: UnaryLoadSettings = {
    concurrency,
    processes,
    channels: shares.reduce((a, s) => a + channelsOf(s), 0),
    streamsPerChannel,
    payloadBytes,
    durationMs: opts.durationMs,
    warmupMs: opts.warmupMs,
  };

  const children: ChildProcess[] = [];
  try {
    for (let p = 0; p < processes; p++) children.push(forkTsChild(THIS_FILE, [CHILD_FLAG]));
    const ready = children.map((c) => nextMessage<ReadyMsg>(c, 'ready', INIT_TIMEOUT_MS, 'load generator'));
    children.forEach((c, p) => {
      const share = shares[p] as number;
      const config: ChildConfig = {
        target: opts.target,
        proto: opts.proto,
        service: opts.service,
        method: opts.method,
        makeRequest: opts.makeRequest,
        metadata: opts.metadata ?? {},
        concurrency: share,
        channels: channelsOf(share),
        durationMs: opts.durationMs,
        warmupMs: opts.warmupMs,
        processIndex: p,
        processes,
        payloadBytes,
        callDeadlineMs,
      };
      c.send({ type: 'init', config } satisfies ToChild);
    });
    await Promise.all(ready);

    const runTimeout = opts.warmupMs + opts.durationMs + Math.max(callDeadlineMs, 5_000) + DRAIN_GRACE_MS + 5_000;
    const results = children.map((c) => nextMessage<ResultMsg>(c, 'result', runTimeout, 'load generator'));
    for (const c of children) c.send({ type: 'start' } satisfies ToChild);
    // Observe the other processes and the machine over (about) the children's measured window.
    let meter: ReturnType<typeof cpuWindow> | undefined;
    const t1 = setTimeout(() => {
      meter = cpuWindow(opts.observePids ?? {});
    }, opts.warmupMs);
    let got: ResultMsg[];
    try {
      got = await Promise.all(results);
    } finally {
      clearTimeout(t1);
    }

    const merged = new LatencyRecorder(got.reduce((a, r) => a + r.samples.length, 16));
    for (const r of got) merged.addAll(r.samples);
    const windowSeconds = Math.max(...got.map((r) => r.windowNs)) / 1e9;
    const errorSamples = [...new Set(got.flatMap((r) => r.errorSamples))].slice(0, 5);
    const loadCpu = (got.reduce((a, r) => a + r.cpuMicros, 0) / 1000 / (windowSeconds * 1000)) * 100;
    // The meter stops when the children have reported (a few ms after their window closed; the
    // drain of in-flight calls is short); the children's own CPU is measured exactly in-window.
    const cpu: CpuByLabel = meter?.stop({ load: loadCpu }) ?? { load: loadCpu };
    const stats = summarize(merged, {
      name: opts.name,
      wallSeconds: windowSeconds,
      errors: got.reduce((a, r) => a + r.errors, 0),
      errorSamples,
      note: `${describeLoad(settings)}; ${describeCpu(cpu)}`,
    });
    return { ...stats, settings, cpu };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
  }
}

// ---------------------------------------------------------------------------------------------
// Child side
// ---------------------------------------------------------------------------------------------

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Partial<grpc.ServiceError>).code;
    return code !== undefined
      ? `gRPC ${grpc.status[code] ?? code}: ${(err as grpc.ServiceError).details}`
      : err.message;
  }
  return String(err);
}

function replyError(reply: unknown): string | undefined {
  if (typeof reply !== 'object' || reply === null) return undefined;
  const e = (reply as { error?: unknown }).error;
  if (e === undefined || e === null) return undefined;
  let text: string;
  try {
    text = JSON.stringify(e);
  } catch {
    text = String(e);
  }
  return `reply error: ${text.slice(0, 300)}`;
}

async function childMain(): Promise<void> {
  const send = (m: unknown): Promise<void> =>
    new Promise((resolve) => {
      if (process.send === undefined) return resolve();
      process.send(m, undefined, {}, () => resolve());
    });
  // If the parent goes away, so do we.
  process.on('disconnect', () => process.exit(0));

  const init = await new Promise<ChildConfig>((resolve) => {
    const onMsg = (m: unknown): void => {
      const msg = m as ToChild;
      if (msg.type === 'init') {
        process.off('message', onMsg);
        resolve(msg.config);
      }
    };
    process.on('message', onMsg);
  });

  const clients: grpc.Client[] = [];
  try {
    const cfg = init;
    const pkgDef = protoLoader.loadSync([...cfg.proto.files], {
      ...DEFAULT_LOADER_OPTIONS,
      ...(cfg.proto.keepCase !== undefined ? { keepCase: cfg.proto.keepCase } : {}),
      ...(cfg.proto.defaults !== undefined ? { defaults: cfg.proto.defaults } : {}),
      includeDirs: [...(cfg.proto.includeDirs ?? [])],
    });
    const svc = pkgDef[cfg.service] as grpc.ServiceDefinition | undefined;
    const def = svc?.[cfg.method] as grpc.MethodDefinition<object, unknown> | undefined;
    if (def === undefined) throw new Error(`no method ${cfg.service}/${cfg.method} in ${cfg.proto.files.join(', ')}`);
    if (def.requestStream || def.responseStream) throw new Error(`${cfg.service}/${cfg.method} is not unary`);

    const modUrl = cfg.makeRequest.module.startsWith('file:')
      ? cfg.makeRequest.module
      : pathToFileURL(path.resolve(cfg.makeRequest.module)).href;
    const mod = (await import(modUrl)) as Record<string, unknown>;
    const factory = mod[cfg.makeRequest.exportName];
    if (typeof factory !== 'function')
      throw new Error(`${cfg.makeRequest.module} has no function export ${cfg.makeRequest.exportName}`);
    const build = await (factory as RequestBuilderFactory)({
      arg: cfg.makeRequest.arg,
      processIndex: cfg.processIndex,
      processes: cfg.processes,
      payloadBytes: cfg.payloadBytes,
    });

    const baseMetadata = new grpc.Metadata();
    for (const [k, v] of Object.entries(cfg.metadata)) baseMetadata.set(k, v);

    // One HTTP/2 connection per client: a local subchannel pool keeps grpc-js from sharing one.
    for (let c = 0; c < cfg.channels; c++) {
      clients.push(
        new grpc.Client(cfg.target, grpc.credentials.createInsecure(), {
          'grpc.use_local_subchannel_pool': 1,
          'grpc.max_receive_message_length': 64 * 1024 * 1024,
          'guardyn.bench.channel': `${cfg.processIndex}.${c}`, // distinct options → distinct channel
        }),
      );
    }
    await Promise.all(
      clients.map(
        (cl) =>
          new Promise<void>((resolve, reject) => {
            cl.waitForReady(Date.now() + 10_000, (err) =>
              err ? reject(new Error(`cannot connect to ${cfg.target}: ${err.message}`)) : resolve(),
            );
          }),
      ),
    );

    await send({ type: 'ready' } satisfies ReadyMsg);
    await new Promise<void>((resolve) => {
      const onMsg = (m: unknown): void => {
        if ((m as ToChild).type === 'start') {
          process.off('message', onMsg);
          resolve();
        }
      };
      process.on('message', onMsg);
    });

    const rec = new LatencyRecorder(1 << 17);
    let errors = 0;
    let measuredErrors = 0;
    const errorSamples = new Set<string>();
    let counter = 0;
    let issued = 0;
    const startNs = nowNs();
    const measureStart = startNs + cfg.warmupMs * 1e6;
    const measureEnd = measureStart + cfg.durationMs * 1e6;

    const call = (client: grpc.Client, req: object): Promise<string | undefined> =>
      new Promise((resolve) => {
        client.makeUnaryRequest(
          def.path,
          def.requestSerialize,
          def.responseDeserialize,
          req,
          baseMetadata.clone(),
          cfg.callDeadlineMs > 0 ? { deadline: Date.now() + cfg.callDeadlineMs } : {},
          (err, reply) => resolve(err ? describeError(err) : replyError(reply)),
        );
      });

    let cpuAtStart: NodeJS.CpuUsage | undefined;
    let cpuInWindow: NodeJS.CpuUsage | undefined;
    const cpuTimers = [
      setTimeout(() => (cpuAtStart = process.cpuUsage()), cfg.warmupMs),
      setTimeout(() => (cpuInWindow = process.cpuUsage(cpuAtStart)), cfg.warmupMs + cfg.durationMs),
    ];

    const slot = async (k: number): Promise<void> => {
      const client = clients[k % clients.length] as grpc.Client;
      for (;;) {
        const t0 = nowNs();
        if (t0 >= measureEnd) return;
        const i = counter++ * cfg.processes + cfg.processIndex;
        let req: object;
        try {
          req = build(i);
        } catch (e) {
          errors++;
          if (errorSamples.size < 5) errorSamples.add(`request builder threw: ${describeError(e)}`);
          return;
        }
        issued++;
        const failure = await call(client, req);
        const t1 = nowNs();
        const inWindow = t1 >= measureStart && t1 < measureEnd;
        if (failure === undefined) {
          if (inWindow) rec.record(t1 - t0);
        } else {
          errors++;
          if (inWindow) measuredErrors++;
          if (errorSamples.size < 5) errorSamples.add(failure);
        }
      }
    };
    // Every slot stops issuing at measureEnd and each call has a deadline, so this is bounded.
    await Promise.all(Array.from({ length: cfg.concurrency }, (_, k) => slot(k)));
    for (const t of cpuTimers) clearTimeout(t);
    const cpu = cpuInWindow ?? process.cpuUsage(cpuAtStart);

    const samples = rec.samples();
    await send({
      type: 'result',
      samples,
      errors,
      measuredErrors,
      errorSamples: [...errorSamples],
      windowNs: measureEnd - measureStart,
      issued,
      cpuMicros: cpu.user + cpu.system,
    } satisfies ResultMsg);
  } catch (e) {
    await send({ type: 'fatal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  } finally {
    for (const cl of clients) cl.close();
  }
  process.exit(0);
}

if (process.argv[2] === CHILD_FLAG && process.argv[1] !== undefined && path.resolve(process.argv[1]) === THIS_FILE) {
  void childMain();
}
