/**
 * How the views bench runs the views of one stream: as the projection worker does (one runner,
 * one reader, each commit decoded once for every view, the views' changes written together), or
 * with `per-view`, one runner per view (the read path before one reader per stream).
 */
import { silentLogger } from '../runtime/logger.ts';
import type { EventLog } from '../streams/log.ts';
import { ProjectionRunner, type Projection, type ProjectionProgress } from '../projections/index.ts';

export async function startViewsOf(log: EventLog, projections: Projection<unknown>[], perView = false, batchSize?: number): Promise<{ progress: Record<string, ProjectionProgress>; describe: string; stop(): Promise<void> }> {
  const runners = perView ? projections.map((p) => new ProjectionRunner(log, p, silentLogger, { ordered: true, ...(batchSize === undefined ? {} : { batchSize }) })) : [new ProjectionRunner(log, projections, silentLogger, { ordered: true, ...(batchSize === undefined ? {} : { batchSize }) })];
  for (const r of runners) await r.start();
  return {
    progress: Object.fromEntries(runners.flatMap((r) => r.projections.map((p) => [p.name, r.progressOf(p.name)]))),
    describe: perView ? `${runners.length} runners, one consumer and one decode per view` : `1 runner: one consumer, one decode per commit, the views' changes written together`,
    async stop() { for (const r of runners) await r.stop(); },
  };
}
