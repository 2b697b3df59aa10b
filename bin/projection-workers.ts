/**
 * The projections role. Without leases (the default of one process): a runner
 * per view on its durable consumer, as always. With leases (partitioned views,
 * or a named worker among several): the work is split into units, `p<k>` (the
 * k-th partition of every partitioned view) and `single` (the views that stay
 * single-owner), and this worker runs the units whose leases it holds, each
 * runner fenced with the lease's epoch (projections/leases.ts).
 *
 * Progress (read-your-writes waits, audit lag) comes from the stores in lease
 * mode: the lowest checkpoint of a view's partitions, whoever runs them.
 */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import type { EventLog } from '../streams/log.ts';
import { streamReplicas } from '../streams/replicas.ts';
import { ProjectionRunner, StoredProgress, type Projection, type ProjectionProgress, type ViewName } from '../projections/index.ts';
import { isPartitioned, partitionOf, viewCheckpoint } from '../projections/partitions.ts';
import { LeaseKeeper } from '../projections/leases.ts';
import { checkLayout } from '../projections/layout.ts';
import { outdatedViews, recordVersion, ViewVersionMismatch } from '../projections/versions.ts';
import { resetView } from '../projections/rebuild.ts';
import type { KvStore } from '../stores/kv/port.ts';
import { TimelineProjectionTarget } from '../projections/timeline-target.ts';

/**
 * Lease mode writes fenced. The embedded LMDB stores check the owner epoch inside the write
 * transaction, which LMDB serialises between processes. TiKV (RawKV has no multi-key
 * transaction) and the CQL timeline check it apart from writing, and order each row's writes by
 * the stream position instead (compare-and-swap on the row's version; write timestamps), so a
 * stale owner's write that passed the check just before a takeover cannot replace a newer row
 * nor move a checkpoint back (docs/adr/0220). Refused: a view whose store has no owner epochs.
 */
export function requireFencing(_config: GuardynConfig, projections: Views): void {
  for (const p of Object.values(projections)) {
    const target = p.target;
    if (target.claim === undefined || (target instanceof TimelineProjectionTarget && target.store.claimCheckpoint === undefined)) {
      throw new Error(`view ${p.name} is kept in a store that cannot fence owners; run one projection worker (unset GUARDYN_PROJECTIONS__PARTITIONS and GUARDYN_PROJECTIONS__WORKER_ID)`);
    }
  }
}

/**
 * Views built by older code at another version (projections/versions.ts): one worker empties
 * them, and its runners build them again from the stream as they start. Several workers
 * (leases) cannot agree on who does it while others apply: they refuse to start and say how.
 */
export async function renewOutdatedViews(log: EventLog, projections: Views, logger: Logger, kv: KvStore, partitions: number, leases: boolean): Promise<void> {
  const outdated = await outdatedViews(kv, Object.keys(projections), (view) => viewCheckpoint(projections[view as ViewName], partitions));
  if (outdated.length === 0) return;
  const names = outdated.map((o) => o.view).join(' ');
  if (leases) {
    throw new ViewVersionMismatch(
      `views ${outdated.map((o) => `${o.view} (version ${o.have}, this code keeps ${o.want})`).join(', ')} were built by an older Guardyn: ` +
      `stop every projection worker and run \`guardyn rebuild ${names}\`, then start the workers`,
    );
  }
  for (const o of outdated) {
    logger.warn({ view: o.view, version: o.have, current: o.want }, 'view built by an older Guardyn; rebuilding it from its stream');
    await resetView(log, projections[o.view as ViewName]);
    await recordVersion(kv, o.view);
  }
}

export interface ProjectionWorkers {
  readonly progress: Record<ViewName, ProjectionProgress>;
  /** The lease units this worker holds now (empty without leases). */
  owned(): string[];
  stop(): Promise<void>;
}

type Views = Record<ViewName, Projection<unknown>>;

/** Progress of every view read from its store (processes that do not run the views, and lease mode). */
export function storedProgress(projections: Views, partitions: number): Record<ViewName, ProjectionProgress> {
  const progress = {} as Record<ViewName, ProjectionProgress>;
  for (const [name, projection] of Object.entries(projections) as [ViewName, Projection<unknown>][]) {
    progress[name] = new StoredProgress(() => viewCheckpoint(projection, partitions));
  }
  return progress;
}

/** The projections of one lease unit. */
export function unitProjections(projections: Views, unit: string, partitions: number): Projection<unknown>[] {
  const all = Object.values(projections);
  if (unit === 'single') return all.filter((p) => !isPartitioned(p.name, partitions));
  const k = Number(/^p(\d+)$/.exec(unit)?.[1] ?? NaN);
  if (!Number.isInteger(k) || k >= partitions) throw new RangeError(`no lease unit ${unit} with ${partitions} partitions`);
  return all.filter((p) => isPartitioned(p.name, partitions)).map((p) => partitionOf(p, k, partitions));
}

export function leaseUnits(partitions: number): string[] {
  return [...(partitions > 1 ? Array.from({ length: partitions }, (_, k) => `p${k}`) : []), 'single'];
}

export async function startProjectionWorkers(
  config: GuardynConfig,
  log: EventLog,
  projections: Views,
  logger: Logger,
  runnerOptions: (view: string) => { afterProject?: (seq: number) => void },
  kv: KvStore,
): Promise<ProjectionWorkers> {
  const { partitions, leases, workerId, leaseMs } = config.projections;
  // The views must have been built with this partition count, or nothing is applied.
  await checkLayout(kv, Object.values(projections), partitions);
  await renewOutdatedViews(log, projections, logger, kv, partitions, leases);
  if (!leases) {
    const progress = {} as Record<ViewName, ProjectionProgress>;
    const runners: ProjectionRunner<unknown>[] = [];
    try {
      for (const [name, projection] of Object.entries(projections) as [ViewName, Projection<unknown>][]) {
        const runner = new ProjectionRunner(log, projection, logger.child({ view: name }), runnerOptions(name));
        await runner.start();
        runners.push(runner);
        progress[name] = runner;
      }
    } catch (err) {
      for (const r of runners.reverse()) await r.stop();
      throw err;
    }
    return {
      progress,
      owned: () => [],
      async stop() {
        for (const r of runners.reverse()) await r.stop();
      },
    };
  }

  requireFencing(config, projections);
  const running = new Map<string, ProjectionRunner<unknown>[]>();
  const stopUnit = async (unit: string) => {
    const runners = running.get(unit) ?? [];
    running.delete(unit);
    await Promise.all(runners.map((r) => r.stop()));
  };
  const keeper: LeaseKeeper = new LeaseKeeper(log.js, log.jsm, {
    workerId,
    units: leaseUnits(partitions),
    leaseMs,
    replicas: streamReplicas(config.messaging.streamReplicas, log.nc.info),
    logger: logger.child({ worker: workerId }),
  }, {
    async acquired(unit, epoch) {
      const runners: ProjectionRunner<unknown>[] = [];
      running.set(unit, runners);
      try {
        for (const projection of unitProjections(projections, unit, partitions)) {
          const runner = new ProjectionRunner(log, projection, logger.child({ view: projection.name, unit }), {
            ...runnerOptions(projection.name),
            fence: epoch,
            onFenced: () => keeper.lost(unit),
          });
          await runner.start();
          runners.push(runner);
        }
      } catch (err) {
        await stopUnit(unit);
        throw err;
      }
    },
    released: stopUnit,
  });
  await keeper.start();
  logger.info({ worker: workerId, partitions, owned: keeper.owned() }, 'projection worker started');
  return {
    progress: storedProgress(projections, partitions),
    owned: () => keeper.owned(),
    async stop() {
      await keeper.stop();
      for (const unit of [...running.keys()]) await stopUnit(unit);
    },
  };
}
