/**
 * Benchmark statistics: a latency recorder (hrtime nanoseconds), its summary
 * (p50/p90/p99/max, rate = completed / wall seconds) and the aligned table the
 * benchmark scripts print.
 *
 * Benchmarks are scripts that print figures, never timed tests: nothing here asserts.
 */

/** Nanoseconds since an arbitrary origin (monotonic). */
export function nowNs(): number {
  // A double holds integers exactly up to 2^53 ns ≈ 104 days of uptime: enough for a benchmark.
  return Number(process.hrtime.bigint());
}

/** Collects latency samples in nanoseconds, in a growable Float64Array (no per-sample objects). */
export class LatencyRecorder {
  private buf: Float64Array;
  private n = 0;

  constructor(initialCapacity = 1 << 16) {
    this.buf = new Float64Array(Math.max(16, initialCapacity));
  }

  record(latencyNs: number): void {
    if (this.n === this.buf.length) {
      const bigger = new Float64Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.n++] = latencyNs;
  }

  /** Adds every sample of another recorder or array (e.g. one sent back by a child process). */
  addAll(samples: Float64Array | readonly number[]): void {
    for (let i = 0; i < samples.length; i++) this.record(samples[i] as number);
  }

  get count(): number {
    return this.n;
  }

  /** A copy of the samples recorded so far (transferable to a parent process). */
  samples(): Float64Array {
    return this.buf.slice(0, this.n);
  }
}

/** One benchmark figure. Latencies are in milliseconds; undefined where latency does not apply. */
export interface Stats {
  readonly name: string;
  /** Operations that completed successfully inside the measured window. */
  readonly count: number;
  /** Operations that failed inside the measured window (any error fails the benchmark). */
  readonly errors: number;
  /** Length of the measured window in seconds. */
  readonly wallSeconds: number;
  /** count / wallSeconds */
  readonly rate: number;
  readonly p50Ms?: number | undefined;
  readonly p90Ms?: number | undefined;
  readonly p99Ms?: number | undefined;
  readonly maxMs?: number | undefined;
  /** Free text printed after the row (settings such as concurrency). */
  readonly note?: string | undefined;
  /** The first few distinct error descriptions, for the loud failure message. */
  readonly errorSamples?: readonly string[] | undefined;
}

/** The q-quantile (0..1) of sorted samples, nearest-rank. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export interface SummarizeOptions {
  readonly name: string;
  readonly wallSeconds: number;
  /** Successful operations; defaults to the number of latency samples. */
  readonly count?: number | undefined;
  readonly errors?: number | undefined;
  readonly note?: string | undefined;
  readonly errorSamples?: readonly string[] | undefined;
}

/** Summarizes latency samples (ns) into a Stats row. With no samples, latencies are undefined. */
export function summarize(samplesNs: Float64Array | LatencyRecorder | undefined, opts: SummarizeOptions): Stats {
  const raw = samplesNs instanceof LatencyRecorder ? samplesNs.samples() : samplesNs;
  const sorted = raw === undefined ? new Float64Array(0) : Float64Array.from(raw).sort();
  const count = opts.count ?? sorted.length;
  const ms = (ns: number): number | undefined => (Number.isNaN(ns) ? undefined : ns / 1e6);
  return {
    name: opts.name,
    count,
    errors: opts.errors ?? 0,
    wallSeconds: opts.wallSeconds,
    rate: opts.wallSeconds > 0 ? count / opts.wallSeconds : 0,
    p50Ms: ms(quantile(sorted, 0.5)),
    p90Ms: ms(quantile(sorted, 0.9)),
    p99Ms: ms(quantile(sorted, 0.99)),
    maxMs: sorted.length === 0 ? undefined : ms(sorted[sorted.length - 1] as number),
    note: opts.note,
    errorSamples: opts.errorSamples,
  };
}

/** A throughput-only figure (no latency): e.g. messages consumed per second. */
export function rateOnly(name: string, count: number, wallSeconds: number, note?: string): Stats {
  return summarize(undefined, { name, count, wallSeconds, note });
}

function fmtNum(v: number | undefined, digits: number): string {
  return v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
}

/**
 * Aligned rows: `name  rate/s  p50 ms  p99 ms  n` (then errors and the note when present).
 * Rates are rounded to whole operations per second; latencies to hundredths of a millisecond.
 */
export function formatTable(rows: readonly Stats[]): string {
  const header = ['name', 'rate/s', 'p50 ms', 'p99 ms', 'n'];
  const cells = rows.map((r) => [r.name, fmtNum(r.rate, 0), fmtNum(r.p50Ms, 2), fmtNum(r.p99Ms, 2), String(r.count)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]): string =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number))).join('  ');
  const out = [line(header)];
  rows.forEach((r, idx) => {
    let text = line(cells[idx] as string[]);
    if (r.errors > 0) text += `  ERRORS=${r.errors}`;
    if (r.note !== undefined && r.note !== '') text += `  (${r.note})`;
    out.push(text);
  });
  return out.join('\n');
}

/** `label: R` with R = numerator.rate / denominator.rate, two decimals. */
export function formatRatio(label: string, numerator: Stats, denominator: Stats): string {
  const r = denominator.rate > 0 ? numerator.rate / denominator.rate : Number.NaN;
  return `${label}: ${fmtNum(r, 2)}`;
}

/** Throws (after printing loudly) when any figure saw errors: a benchmark with errors is a failed benchmark. */
export function assertNoErrors(rows: readonly Stats[], print: (line: string) => void = console.error): void {
  const failed = rows.filter((r) => r.errors > 0);
  if (failed.length === 0) return;
  print('');
  print('!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
  print('!!! BENCHMARK FAILED: operations returned errors; the figures above are void !!!');
  for (const r of failed) {
    print(`!!! ${r.name}: ${r.errors} error(s) beside ${r.count} ok`);
    for (const s of r.errorSamples ?? []) print(`!!!   ${s}`);
  }
  print('!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
  throw new BenchmarkFailed(failed.map((r) => `${r.name}: ${r.errors} errors`).join('; '));
}

export class BenchmarkFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchmarkFailed';
  }
}

/**
 * Of several runs of one figure, the run with the median rate (the lower middle for an even
 * count), its note prefixed with every run's rate: for figures repeated in interleaved rounds.
 */
export function medianRun<T extends Stats>(runs: readonly T[]): T {
  if (runs.length === 0) throw new RangeError('medianRun of no runs');
  if (runs.length === 1) return runs[0] as T;
  const sorted = [...runs].sort((a, b) => a.rate - b.rate);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as T;
  const all = runs.map((r) => r.rate.toFixed(0)).join(' ');
  return { ...median, note: `median of ${runs.length} rounds [${all}]; ${median.note ?? ''}` };
}

/**
 * The median over rounds of numerator[i].rate / denominator[i].rate: figures measured back to
 * back in the same round share the machine's state, so their ratio is steadier than either rate.
 */
export function medianPairedRatio(numerator: readonly Stats[], denominator: readonly Stats[]): number {
  const n = Math.min(numerator.length, denominator.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = (denominator[i] as Stats).rate;
    if (d > 0) ratios.push((numerator[i] as Stats).rate / d);
  }
  if (ratios.length === 0) return Number.NaN;
  ratios.sort((a, b) => a - b);
  const mid = ratios.length / 2;
  return ratios.length % 2 === 1
    ? (ratios[Math.floor(mid)] as number)
    : ((ratios[mid - 1] as number) + (ratios[mid] as number)) / 2;
}
