/** How the views bench runs the views of one stream: one runner per view (the read path before one reader per stream). */
import { silentLogger } from '../runtime/logger.ts';
import type { EventLog } from '../streams/log.ts';
import { ProjectionRunner, type Projection, type ProjectionProgress } from '../projections/index.ts';

export async function startViewsOf(log: EventLog, projections: Projection<unknown>[]): Promise<{ progress: Record<string, ProjectionProgress>; describe: string; stop(): Promise<void> }> {
  const runners = projections.map((p) => new ProjectionRunner(log, p, silentLogger, { ordered: true }));
  for (const r of runners) await r.start();
  return {
    progress: Object.fromEntries(runners.map((r) => [r.projection.name, r])),
    describe: `${runners.length} runners, one consumer and one decode per view`,
    async stop() { for (const r of runners) await r.stop(); },
  };
}
