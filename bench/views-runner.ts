/**
 * How the views bench runs the views of one stream: as the projection worker does (one runner
 * per stream and store, bin/projection-workers.ts byReader: each commit decoded once per reader,
 * the views of a store written together), or with `per-view`, one runner per view (the read path
 * before one reader per stream).
 */
import { silentLogger } from '../runtime/logger.ts';
import type { EventLog } from '../streams/log.ts';
import { ProjectionRunner, type Projection, type ProjectionProgress } from '../projections/index.ts';
import type { BenchWiring } from './wiring.ts';

export async function startViewsOf(
  wiring: BenchWiring,
  log: EventLog,
  projections: Projection<unknown>[],
  perView = false,
  batchSize?: number,
): Promise<{ progress: Record<string, ProjectionProgress>; describe: string; stop(): Promise<void> }> {
  const options = { ordered: true, ...(batchSize === undefined ? {} : { batchSize }) };
  const groups = perView ? projections.map((p) => [p]) : wiring.byReader(projections).map((g) => g.projections);
  const runners = groups.map((g) => new ProjectionRunner(log, g, silentLogger, options));
  for (const r of runners) await r.start();
  return {
    progress: Object.fromEntries(runners.flatMap((r) => r.projections.map((p) => [p.name, r.progressOf(p.name)]))),
    describe: perView
      ? `${runners.length} runners, one consumer and one decode per view`
      : `${runners.length} runner(s), one per store: ${groups.map((g) => g.map((p) => p.name).join('+')).join(' | ')}`,
    async stop() {
      for (const r of runners) await r.stop();
    },
  };
}
