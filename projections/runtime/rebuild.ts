/**
 * Rebuild a view from its stream: clear the view and its checkpoint, replace
 * the durable consumer, and apply the stream from the start until the view has
 * reached the stream's last sequence at the time of the call.
 */
import type { Logger } from 'pino';
import type { EventLog } from '../../streams/log.ts';
import { deleteDurable } from '../../streams/durables.ts';
import type { Projection } from './projection.ts';
import { durableName, ProjectionRunner } from './runner.ts';
import { projectionsOf } from './partitions.ts';

/** Clears the view, its checkpoint and its durable consumer. */
export async function resetView<Tx>(log: EventLog, projection: Projection<Tx>): Promise<void> {
  await deleteDurable(log, projection.stream, durableName(projection));
  await projection.target.reset(projection.name);
}

/** Runs the projection until it has applied the stream's current last sequence; `ms` is the time that took. */
export async function catchUpView<Tx>(
  log: EventLog,
  projection: Projection<Tx>,
  logger: Logger,
): Promise<{ applied: number; ms: number }> {
  const started = Date.now();
  const target = await log.lastSeq(projection.stream);
  const runner = new ProjectionRunner(log, projection, logger);
  await runner.start();
  try {
    while (!(await runner.waitFor(target, 1000))) {
      logger.info({ view: projection.name, applied: await runner.applied(), target }, 'rebuilding');
    }
  } finally {
    await runner.stop();
  }
  return { applied: target, ms: Date.now() - started };
}

export async function rebuildView<Tx>(
  log: EventLog,
  projection: Projection<Tx>,
  logger: Logger,
  partitions = 1,
): Promise<{ applied: number; ms: number }> {
  const started = Date.now();
  await resetView(log, projection);
  const parts = projectionsOf(projection, partitions);
  if (parts.length === 1) {
    const { applied } = await catchUpView(log, projection, logger);
    return { applied, ms: Date.now() - started };
  }
  // A partitioned view: the partitions' records too, then every partition from the start, side by side.
  for (const part of parts) await resetView(log, part);
  const target = await log.lastSeq(projection.stream);
  const runners = parts.map(
    (part) => new ProjectionRunner(log, part, logger.child({ partition: part.name }), { ordered: true }),
  );
  try {
    for (const r of runners) await r.start();
    for (const r of runners) {
      while (!(await r.waitFor(target, 1000)))
        logger.info({ view: r.projection.name, applied: await r.applied(), target }, 'rebuilding');
    }
  } finally {
    for (const r of runners) await r.stop();
  }
  return { applied: target, ms: Date.now() - started };
}
