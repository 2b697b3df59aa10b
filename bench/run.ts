/**
 * `guardyn bench <name> [--duration=10s --warmup=2s --concurrency=64 --processes=2 --payload=1024
 *   --streams-per-channel=16 --window=256 --subjects=1000 --consume-messages=200000
 *   --consume-batch=1000 --rounds=1]`
 *
 * Benchmarks are scripts that print figures: every figure is measured beside its baseline in the
 * same run, on the machine named in the output. Names:
 *
 * - `baselines`: the empty gRPC unary call (echo), raw JetStream publish (default client options
 *   and with `noAsyncTraces`), raw ordered consume. With `--rounds=N` the figures are measured in
 *   N interleaved rounds and each is shown as its median round.
 * - `echo-sweep`: the echo baseline over lists of settings, e.g. `--concurrency=32,64,128 --processes=1,2
 *   --rounds=3`, to choose the load generator settings (the same ones then drive SendMessage).
 *
 * The pieces (`measureEcho`, `measureRawPublish`, `measureRawConsume`, `runUnaryLoad`,
 * `startBenchNats`, `parseBenchArgs`, `interleavedRounds`, `printReport`, `registerBench`) are
 * exported for other benchmarks such as `send`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startNatsServer, type LocalNatsServer } from '../ops/nats/local-server.ts';
import type { BenchWiring } from './wiring.ts';
import type { SyncInterval } from '../runtime/config-nats.ts';
import { measureEcho } from './echo.ts';
import { describeCpu, describeLoad, runUnaryLoad, type UnaryLoadResult } from './load.ts';
import { describeMachine, type CpuByLabel } from './machine.ts';
import { measureRawConsume } from './raw-consume.ts';
import { measureRawPublish } from './raw-publish.ts';
import { assertNoErrors, formatRatio, formatTable, medianPairedRatio, medianRun, type Stats } from './stats.ts';

export {
  measureEcho,
  measureRawPublish,
  measureRawConsume,
  runUnaryLoad,
  describeMachine,
  describeLoad,
  describeCpu,
  formatRatio,
  medianPairedRatio,
  medianRun,
};
export type { CpuByLabel, Stats, UnaryLoadResult };

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

export interface BenchArgs {
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Total in-flight gRPC calls over all load processes. */
  readonly concurrency: number;
  readonly processes: number;
  readonly payloadBytes: number;
  readonly streamsPerChannel: number;
  /** In-flight js.publish promises for the raw publish baseline. */
  readonly window: number;
  readonly subjects: number;
  readonly consumeMessages: number;
  readonly consumeBatch: number;
  /** Interleaved rounds; each figure is reported as its median round. */
  readonly rounds: number;
  /** Every `--key=value` as given (for benchmark-specific options and lists). */
  readonly raw: Readonly<Record<string, string>>;
}

/**
 * The load generator settings that gave the highest echo rate on the 2-core reference machine
 * (`echo-sweep` over concurrency 32/64/128 x 1/2 processes, interleaved rounds): two load
 * processes beat one by ~8-12% in paired rounds (one process saturates its own core at ~110%
 * CPU); 128 in flight was no faster than 64 (within noise) at twice the latency; 16 streams per
 * channel beat 8 and matched 32. SendMessage is driven with the same settings.
 */
export const DEFAULT_CONCURRENCY = 64;
export const DEFAULT_PROCESSES = 2;

export const DEFAULT_ARGS: Omit<BenchArgs, 'raw'> = {
  durationMs: 10_000,
  warmupMs: 2_000,
  concurrency: DEFAULT_CONCURRENCY,
  processes: DEFAULT_PROCESSES,
  payloadBytes: 1024,
  streamsPerChannel: 16,
  window: 256,
  subjects: 1000,
  consumeMessages: 200_000,
  consumeBatch: 1000,
  rounds: 1,
};

/** `10s`, `1500ms`, `2m`, or a bare number of seconds. */
export function parseDurationMs(text: string, key: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (m === null) throw new RangeError(`--${key}: expected a duration such as 10s or 500ms, got "${text}"`);
  const v = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(unit === 'ms' ? v : unit === 's' ? v * 1000 : v * 60_000);
}

/** `1024`, `1k`/`1KiB`, `64KiB`. */
export function parseBytes(text: string, key: string): number {
  const m = /^(\d+)\s*(k|kb|kib|m|mb|mib|b)?$/i.exec(text.trim());
  if (m === null) throw new RangeError(`--${key}: expected a size such as 1024 or 1KiB, got "${text}"`);
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1);
}

export function parsePositiveInt(text: string, key: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${key}: expected a positive integer, got "${text}"`);
  return v;
}

/** A comma-separated list of positive integers (`--concurrency=32,64,128`). */
export function parseIntList(text: string, key: string): number[] {
  return text.split(',').map((t) => parsePositiveInt(t.trim(), key));
}

export function parseBenchArgs(args: readonly string[]): BenchArgs {
  const raw: Record<string, string> = {};
  for (const a of args) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/i.exec(a);
    if (m === null) throw new RangeError(`unexpected argument "${a}" (expected --key=value)`);
    raw[m[1] as string] = m[2] ?? 'true';
  }
  const get = <T>(key: string, parse: (t: string, k: string) => T, dflt: T): T => {
    const v = raw[key];
    return v === undefined ? dflt : parse(v, key);
  };
  // Lists are for sweeps; the scalar setting is the first element.
  const firstInt = (t: string, k: string): number => parseIntList(t, k)[0] as number;
  return {
    durationMs: get('duration', parseDurationMs, DEFAULT_ARGS.durationMs),
    warmupMs: get('warmup', parseDurationMs, DEFAULT_ARGS.warmupMs),
    concurrency: get('concurrency', firstInt, DEFAULT_ARGS.concurrency),
    processes: get('processes', firstInt, DEFAULT_ARGS.processes),
    payloadBytes: get('payload', parseBytes, DEFAULT_ARGS.payloadBytes),
    streamsPerChannel: get('streams-per-channel', parsePositiveInt, DEFAULT_ARGS.streamsPerChannel),
    window: get('window', parsePositiveInt, DEFAULT_ARGS.window),
    subjects: get('subjects', parsePositiveInt, DEFAULT_ARGS.subjects),
    consumeMessages: get('consume-messages', parsePositiveInt, DEFAULT_ARGS.consumeMessages),
    consumeBatch: get('consume-batch', parsePositiveInt, DEFAULT_ARGS.consumeBatch),
    rounds: get('rounds', parsePositiveInt, DEFAULT_ARGS.rounds),
    raw,
  };
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

export interface BenchNats {
  readonly server: LocalNatsServer;
  readonly storeDir: string;
  /** Stops the server (its pid only) and removes the temp store. */
  stop(): Promise<void>;
}

/**
 * A nats-server with JetStream on a free loopback port and a temp file store; `syncInterval`
 * sets its disk sync policy (default: the server's own, a sync every 2 minutes).
 */
export async function startBenchNats(options: { syncInterval?: SyncInterval } = {}): Promise<BenchNats> {
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-nats-'));
  try {
    const server = await startNatsServer({
      storeDir,
      ...(options.syncInterval === undefined ? {} : { syncInterval: options.syncInterval }),
    });
    let stopping: Promise<void> | undefined;
    return {
      server,
      storeDir,
      stop: () =>
        (stopping ??= (async () => {
          await server.stop();
          fs.rmSync(storeDir, { recursive: true, force: true });
        })()),
    };
  } catch (e) {
    fs.rmSync(storeDir, { recursive: true, force: true });
    throw e;
  }
}

/** Other processes used more than this (percent of one core) during a figure's window. */
export const DISTURBED_OTHER_CPU_PERCENT = 15;

export function isDisturbed(row: Stats): boolean {
  const other = (row as { cpu?: CpuByLabel }).cpu?.['other'];
  return other !== undefined && other > DISTURBED_OTHER_CPU_PERCENT;
}

/**
 * Prints the machine line, the settings, the table; then fails loudly (throws) when any
 * figure saw errors. Extra lines (ratios) are printed after the table.
 */
export function printReport(opts: {
  readonly title: string;
  readonly machine: string;
  readonly settings: readonly string[];
  readonly rows: readonly Stats[];
  readonly after?: readonly string[];
}): void {
  const out: string[] = [`== bench ${opts.title}`, opts.machine, ...opts.settings, '', formatTable(opts.rows)];
  if (opts.after !== undefined && opts.after.length > 0) out.push('', ...opts.after);
  const disturbed = opts.rows.filter(isDisturbed);
  if (disturbed.length > 0) {
    out.push(
      '',
      `WARNING: other processes used > ${DISTURBED_OTHER_CPU_PERCENT}% of a core during: ` +
        `${disturbed.map((r) => r.name).join(', ')} (see cpu% other); those figures are disturbed, run again on a quiet machine`,
    );
  }
  console.log(out.join('\n'));
  assertNoErrors(opts.rows);
}

function runSettingsLine(a: BenchArgs): string {
  const rounds = a.rounds > 1 ? `, ${a.rounds} interleaved rounds (median shown)` : '';
  return `run: duration ${a.durationMs / 1000} s after ${a.warmupMs / 1000} s warmup per figure, payload ${a.payloadBytes} B random bytes${rounds}`;
}

// ---------------------------------------------------------------------------------------------
// Benchmarks
// ---------------------------------------------------------------------------------------------

/**
 * Runs each measurement once per round, in the given order, for `rounds` rounds; returns every
 * run by name. Interleaving makes slow drift of a shared machine hit all figures alike; report
 * each figure with `medianRun` and ratios with `medianPairedRatio`.
 */
export async function interleavedRounds<M extends Record<string, () => Promise<Stats>>>(
  rounds: number,
  measures: M,
  onRun?: (round: number, name: keyof M & string, result: Stats) => void,
): Promise<{ [K in keyof M]: Array<Awaited<ReturnType<M[K]>>> }> {
  const names = Object.keys(measures) as Array<keyof M & string>;
  const out: Record<string, Stats[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const name of names) {
      const r = await (measures[name] as () => Promise<Stats>)();
      out[name]?.push(r);
      onRun?.(round, name, r);
    }
  }
  return out as { [K in keyof M]: Array<Awaited<ReturnType<M[K]>>> };
}

/** `  round 2 echo: 7012/s p50 7.41 ms p99 28.00 ms cpu% server 50, load 128, other 0` */
export function describeRun(round: number, name: string, r: Stats): string {
  const cpu = (r as { cpu?: CpuByLabel }).cpu;
  const lat = r.p50Ms === undefined ? '' : ` p50 ${r.p50Ms.toFixed(2)} ms p99 ${(r.p99Ms ?? 0).toFixed(2)} ms`;
  return `  round ${round} ${name}: ${r.rate.toFixed(0)}/s${lat}${cpu === undefined ? '' : ` ${describeCpu(cpu)}`}`;
}

async function benchBaselines(a: BenchArgs): Promise<void> {
  const nats = await startBenchNats();
  try {
    const natsPid = { 'nats-server': nats.server.pid };
    const runs = await interleavedRounds(
      a.rounds,
      {
        echo: () =>
          measureEcho({
            concurrency: a.concurrency,
            processes: a.processes,
            durationMs: a.durationMs,
            warmupMs: a.warmupMs,
            payloadBytes: a.payloadBytes,
            streamsPerChannel: a.streamsPerChannel,
          }),
        publish: () =>
          measureRawPublish(nats.server.url, {
            durationMs: a.durationMs,
            warmupMs: a.warmupMs,
            payloadBytes: a.payloadBytes,
            window: a.window,
            subjects: a.subjects,
            observePids: natsPid,
          }),
        // The same with the nats.js `noAsyncTraces` connection option (no Error built per request).
        publishNoTraces: () =>
          measureRawPublish(nats.server.url, {
            name: 'raw js publish, noAsyncTraces',
            durationMs: a.durationMs,
            warmupMs: a.warmupMs,
            payloadBytes: a.payloadBytes,
            window: a.window,
            subjects: a.subjects,
            observePids: natsPid,
            noAsyncTraces: true,
          }),
        consume: () =>
          measureRawConsume(nats.server.url, {
            messages: a.consumeMessages,
            payloadBytes: a.payloadBytes,
            maxMessages: a.consumeBatch,
            observePids: natsPid,
          }),
      },
      a.rounds > 1 ? (round, name, r) => console.log(describeRun(round, name, r)) : undefined,
    );
    const echo = medianRun(runs.echo);
    const rows: Stats[] = [echo, medianRun(runs.publish), medianRun(runs.publishNoTraces), medianRun(runs.consume)];
    printReport({
      title: 'baselines',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [
        runSettingsLine(a),
        `load generator: ${describeLoad(echo.settings)}, ${a.streamsPerChannel} streams/channel, server and load in separate processes`,
      ],
      rows,
      after: [
        `publish/echo ratio: ${medianPairedRatio(runs.publish, runs.echo).toFixed(2)}`,
        `publish noAsyncTraces/default ratio: ${medianPairedRatio(runs.publishNoTraces, runs.publish).toFixed(2)}`,
      ],
    });
  } finally {
    await nats.stop();
  }
}

async function benchEchoSweep(a: BenchArgs): Promise<void> {
  const concurrencies = parseIntList(a.raw['concurrency'] ?? '32,64,128', 'concurrency');
  const processCounts = parseIntList(a.raw['processes'] ?? '1,2', 'processes');
  const rounds = parsePositiveInt(a.raw['rounds'] ?? '1', 'rounds');
  const combos = processCounts.flatMap((processes) => concurrencies.map((concurrency) => ({ processes, concurrency })));
  // Rounds interleave the settings, so slow drift of a shared machine hits all of them alike.
  const runs = combos.map(() => [] as UnaryLoadResult[]);
  for (let round = 1; round <= rounds; round++) {
    for (const [idx, { processes, concurrency }] of combos.entries()) {
      const r = await measureEcho({
        name: `echo c=${concurrency} p=${processes}`,
        concurrency,
        processes,
        durationMs: a.durationMs,
        warmupMs: a.warmupMs,
        payloadBytes: a.payloadBytes,
        streamsPerChannel: a.streamsPerChannel,
      });
      runs[idx]?.push(r);
      console.log(
        `  round ${round}: ${r.name}: ${r.rate.toFixed(0)}/s p50 ${r.p50Ms?.toFixed(2)} ms p99 ${r.p99Ms?.toFixed(2)} ms ${describeCpu(r.cpu)}`,
      );
    }
  }
  // Per setting, the round with the median rate among the undisturbed rounds (all rounds when
  // none was undisturbed); every round's rate is listed in the note, disturbed ones marked *.
  const rows = runs.map((rs) => {
    const calm = rs.filter((r) => !isDisturbed(r));
    const sorted = [...(calm.length > 0 ? calm : rs)].sort((x, y) => x.rate - y.rate);
    const median = sorted[Math.floor((sorted.length - 1) / 2)] as UnaryLoadResult;
    const all = rs.map((r) => `${r.rate.toFixed(0)}${isDisturbed(r) ? '*' : ''}`).join(' ');
    const which = calm.length > 0 ? `${calm.length} undisturbed` : `${rs.length}, all disturbed`;
    const spread = rounds > 1 ? `median of ${which} [${all}]; ` : '';
    return { ...median, note: `${spread}${median.note ?? ''}` };
  });
  const best = rows.reduce((b, r) => (r.rate > b.rate ? r : b));
  printReport({
    title: 'echo-sweep',
    machine: describeMachine(),
    settings: [runSettingsLine(a), `${a.streamsPerChannel} streams/channel, ${rounds} round(s)`],
    rows,
    after: [
      `best: concurrency ${best.settings.concurrency}, processes ${best.settings.processes} (${best.rate.toFixed(0)}/s)`,
    ],
  });
}

export type Benchmark = (a: BenchArgs, wiring: BenchWiring) => Promise<void>;

const BENCHMARKS = new Map<string, Benchmark>([
  ['baselines', benchBaselines],
  ['echo-sweep', benchEchoSweep],
]);

/** Adds (or replaces) a benchmark name for runBench, e.g. `send`. */
export function registerBench(name: string, bench: Benchmark): void {
  BENCHMARKS.set(name, bench);
}

export async function runBench(name: string, args: string[], wiring: BenchWiring): Promise<void> {
  const bench = BENCHMARKS.get(name);
  if (bench === undefined) {
    throw new RangeError(`unknown benchmark "${name}"; known: ${[...BENCHMARKS.keys()].join(', ')}`);
  }
  await bench(parseBenchArgs(args), wiring);
}
