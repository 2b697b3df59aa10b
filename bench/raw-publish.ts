/**
 * Raw JetStream async publish from one Node process: the log's ceiling for the send path.
 *
 * A file-storage stream on the given server; the same random payload published with a bounded
 * window of in-flight `js.publish` promises, spread over many subjects (`<prefix>.<i % subjects>`).
 * Rate counts acks received inside the measured window; latency is publish → ack.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient } from '@nats-io/jetstream';
import { cpuWindow, describeCpu, type CpuByLabel } from './machine.ts';
import { LatencyRecorder, nowNs, summarize, type Stats } from './stats.ts';

/** The publish timeout Guardyn's EventLog uses; the same here so the ceiling is comparable. */
const PUBLISH_TIMEOUT_MS = 5000;

export interface RawPublishOptions {
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly payloadBytes: number;
  /** In-flight publishes; default 256. */
  readonly window?: number | undefined;
  /** Distinct subjects; default 1000. */
  readonly subjects?: number | undefined;
  /** Row name; default `raw js publish (1 proc)`. */
  readonly name?: string | undefined;
  /** Processes whose CPU over the window is reported, e.g. `{ 'nats-server': pid }`. */
  readonly observePids?: Readonly<Record<string, number>> | undefined;
  /**
   * The nats.js connection option: when true the client does not build an Error (with a stack
   * trace) per request to give async failures a useful stack. Default false (the client's default).
   */
  readonly noAsyncTraces?: boolean | undefined;
}

/** A figure with the CPU use (percent of one core, by label) measured over its window. */
export type StatsWithCpu = Stats & { readonly cpu: CpuByLabel };

export interface BenchStream {
  readonly name: string;
  /** Subjects are `<prefix>.<n>`; the stream captures `<prefix>.>`. */
  readonly prefix: string;
  delete(): Promise<void>;
}

/** Creates a fresh file-storage, limits-retention stream for one measurement. */
export async function createBenchStream(nc: NatsConnection, label: string): Promise<BenchStream> {
  const id = randomUUID().replace(/-/g, '').slice(0, 12);
  const name = `BENCH_${label.toUpperCase()}_${id}`;
  const prefix = `bench.${id}.s`;
  const jsm = await jetstreamManager(nc, { timeout: PUBLISH_TIMEOUT_MS });
  await jsm.streams.add({
    name,
    subjects: [`${prefix}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    num_replicas: 1,
  });
  return {
    name,
    prefix,
    delete: async () => {
      await jsm.streams.delete(name).catch(() => false);
    },
  };
}

export interface PublishLoopOptions {
  readonly prefix: string;
  readonly subjects: number;
  readonly payload: Uint8Array;
  readonly window: number;
  /** Stop issuing at this hrtime (ns)... */
  readonly untilNs?: number | undefined;
  /** ...or after this many publishes (whichever comes first). */
  readonly count?: number | undefined;
  /** Called with (sentAtNs, ackedAtNs) for each ack, or with an error. */
  readonly onAck: (sentNs: number, ackNs: number) => void;
  readonly onError: (err: unknown, atNs: number) => void;
}

/**
 * Keeps `window` publishes in flight until `untilNs` or `count`. Bounded: each publish has a
 * timeout, and nothing new is issued after the limit. Resolves when the last one settles.
 */
export async function publishLoop(js: JetStreamClient, o: PublishLoopOptions): Promise<number> {
  if (o.untilNs === undefined && o.count === undefined) throw new Error('publishLoop needs untilNs or count');
  let i = 0;
  const more = (): boolean =>
    (o.count === undefined || i < o.count) && (o.untilNs === undefined || nowNs() < o.untilNs);
  const slot = async (): Promise<void> => {
    while (more()) {
      const subject = `${o.prefix}.${i++ % o.subjects}`;
      const t0 = nowNs();
      try {
        await js.publish(subject, o.payload, { timeout: PUBLISH_TIMEOUT_MS });
        o.onAck(t0, nowNs());
      } catch (e) {
        o.onError(e, nowNs());
      }
    }
  };
  await Promise.all(Array.from({ length: o.window }, slot));
  return i;
}

/** Measures raw async publish on a fresh stream of the server at natsUrl; deletes the stream afterwards. */
export async function measureRawPublish(natsUrl: string, opts: RawPublishOptions): Promise<StatsWithCpu> {
  const window = opts.window ?? 256;
  const subjects = opts.subjects ?? 1000;
  const noAsyncTraces = opts.noAsyncTraces ?? false;
  const nc = await connect({ servers: natsUrl, name: 'guardyn-bench-raw-publish', noAsyncTraces });
  let stream: BenchStream | undefined;
  try {
    stream = await createBenchStream(nc, 'pub');
    const js = jetstream(nc, { timeout: PUBLISH_TIMEOUT_MS });
    const payload = randomBytes(opts.payloadBytes);
    const rec = new LatencyRecorder(1 << 18);
    let errors = 0;
    const errorSamples = new Set<string>();
    const start = nowNs();
    const measureStart = start + opts.warmupMs * 1e6;
    const measureEnd = measureStart + opts.durationMs * 1e6;
    let meter: ReturnType<typeof cpuWindow> | undefined;
    const cpuTimer = setTimeout(() => (meter = cpuWindow(opts.observePids ?? {}, 'publisher')), opts.warmupMs);
    const done = publishLoop(js, {
      prefix: stream.prefix,
      subjects,
      payload,
      window,
      untilNs: measureEnd,
      onAck: (t0, t1) => {
        if (t1 >= measureStart && t1 < measureEnd) rec.record(t1 - t0);
      },
      onError: (e) => {
        errors++;
        if (errorSamples.size < 5) errorSamples.add(e instanceof Error ? e.message : String(e));
      },
    });
    let cpu: CpuByLabel = {};
    try {
      await done;
      cpu = meter?.stop() ?? {};
    } finally {
      clearTimeout(cpuTimer);
    }
    const stats = summarize(rec, {
      name: opts.name ?? 'raw js publish (1 proc)',
      wallSeconds: opts.durationMs / 1000,
      errors,
      errorSamples: [...errorSamples],
      note:
        `window ${window}, ${subjects} subjects, payload ${opts.payloadBytes} B, file storage` +
        `${noAsyncTraces ? ', noAsyncTraces' : ''}; ${describeCpu(cpu)}`,
    });
    return { ...stats, cpu };
  } finally {
    await stream?.delete();
    await nc.close();
  }
}
