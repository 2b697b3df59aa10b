/**
 * How far a view has come, as the query side sees it: the read-your-writes wait of `min_seq`
 * (a query waits, bounded, until its views have applied the sequence, and otherwise answers
 * stale). The projection runtime (projections/runtime/) implements it for the views it runs;
 * StoredProgress reads it from the view's store in processes that serve queries only.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How far a view has come, for read-your-writes waits. */
export interface ProjectionProgress {
  /** Resolves true once the view has applied `seq`, false if `timeoutMs` passes first. */
  waitFor(seq: number, timeoutMs: number): Promise<boolean>;
  applied(): Promise<number>;
}

/** Progress read from the view's store, for processes that serve queries but do not run the projection. */
export class StoredProgress implements ProjectionProgress {
  constructor(private readonly read: () => Promise<number>) {}

  applied(): Promise<number> {
    return this.read();
  }

  async waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.read()) >= seq) return true;
      if (Date.now() >= deadline) return false;
      await sleep(5);
    }
  }
}

/** Waits (bounded) until every view has applied `minSeq`; true when some did not in time (the answer is stale). */
export async function waitForMinSeq(
  progress: readonly ProjectionProgress[],
  minSeq: number,
  waitMs: number,
): Promise<boolean> {
  if (minSeq <= 0) return false;
  const reached = await Promise.all(progress.map((p) => p.waitFor(minSeq, waitMs)));
  return reached.some((ok) => !ok);
}
