/**
 * Operational samples for the audit report: what the log itself does not hold.
 * Every interval a Guardyn process appends to the AUDIT stream, subject
 * `audit.stats.<process>`, the commands it rejected since its last sample (by
 * command, from the command latency histogram) and, when it runs projections,
 * each view's lag behind its stream. `guardyn audit report` charts them.
 */
import os from 'node:os';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import { commandLatency } from '../runtime/metrics.ts';
import { PeriodicTask } from '../runtime/periodic-task.ts';
import { token } from '../streams/subjects.ts';
import type { CheckpointWriter } from './checkpoints.ts';

export const STATS_SUBJECTS = 'audit.stats.>';

export const StatsSample = t.type({
  at: t.number,
  process: t.string,
  rejected: t.record(t.string, t.number),
  lag: t.record(t.string, t.number),
});
export type StatsSample = t.TypeOf<typeof StatsSample>;

export function parseStatsSample(data: Uint8Array): StatsSample | undefined {
  try {
    const decoded = StatsSample.decode(JSON.parse(Buffer.from(data).toString('utf8')));
    return isLeft(decoded) ? undefined : decoded.right;
  } catch {
    return undefined;
  }
}

/** Rejected commands by command name, as counted by this process since it started. */
async function rejectedTotals(): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const v of (await commandLatency.get()).values) {
    if (!v.metricName?.endsWith('_count') || v.labels['outcome'] !== 'rejected') continue;
    const command = String(v.labels['command'] ?? 'unknown');
    totals.set(command, (totals.get(command) ?? 0) + v.value);
  }
  return totals;
}

export interface ViewLag {
  readonly view: string;
  readonly stream: string;
  applied(): Promise<number>;
}

export class StatsSampler {
  private readonly task: PeriodicTask;
  private last = new Map<string, number>();
  private readonly process: string;

  constructor(
    private readonly log: CheckpointWriter,
    private readonly views: readonly ViewLag[],
    intervalMs: number,
    logger: Logger,
  ) {
    this.process = token(
      `${os
        .hostname()
        .replace(/[^A-Za-z0-9_-]/g, '-')
        .slice(0, 64)}-${process.pid}`,
      'process',
    );
    this.task = new PeriodicTask(() => this.sampleOnce(), { name: 'audit stats sample', intervalMs, logger });
  }

  async start(): Promise<void> {
    this.last = await rejectedTotals();
    this.task.start();
  }

  /** Takes one sample now (or waits for the one being taken). */
  sample(): Promise<void> {
    return this.task.tick();
  }

  private async sampleOnce(): Promise<void> {
    const totals = await rejectedTotals();
    const rejected: Record<string, number> = {};
    for (const [command, n] of totals) {
      const delta = n - (this.last.get(command) ?? 0);
      if (delta > 0) rejected[command] = delta;
    }
    this.last = totals;
    const lag: Record<string, number> = {};
    const lastSeqs = new Map<string, number>();
    for (const v of this.views) {
      if (!lastSeqs.has(v.stream)) lastSeqs.set(v.stream, (await this.log.streamState(v.stream))?.lastSeq ?? 0);
      lag[v.view] = Math.max(0, lastSeqs.get(v.stream)! - (await v.applied()));
    }
    const sample: StatsSample = { at: Date.now(), process: this.process, rejected, lag };
    await this.log.append(`audit.stats.${this.process}`, JSON.stringify(sample));
  }

  stop(): Promise<void> {
    return this.task.stop();
  }
}
