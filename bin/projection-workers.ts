/**
 * The projections role. Without leases (the default of one process): a runner
 * per view on its durable consumer, as always. With leases (partitioned views,
 * or a named worker among several): the work is split into units, `p<k>` (the
 * k-th partition of every partitioned view) and `single` (the views that stay
 * single-owner), and this worker runs the units whose leases it holds, each
 * runner fenced with the lease's epoch (projections/runtime/leases.ts).
 *
 * Progress (read-your-writes waits, audit lag) comes from the stores in lease
 * mode: the lowest checkpoint of a view's partitions, whoever runs them.
 */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import type { EventLog } from '../streams/log.ts';
import { leaseLog, leaseReplicas } from '../streams/lease-log.ts';
import {
  ProjectionRunner,
  StoredProgress,
  durableName,
  type Projection,
  type ProjectionProgress,
  type ViewName,
} from '../projections/index.ts';
import { sharedDurableName } from '../projections/runtime/runner.ts';
import { storageOf } from '../stores/embedded.ts';
import { isPartitioned, partitionOf, viewCheckpoint } from '../projections/runtime/partitions.ts';
import { LeaseKeeper } from '../projections/runtime/leases.ts';
import { checkLayout } from '../projections/runtime/layout.ts';
import { outdatedViews, recordVersion, ViewVersionMismatch } from '../projections/runtime/versions.ts';
import { resetView } from '../projections/runtime/rebuild.ts';
import type { KvStore } from '../stores/kv/port.ts';
import { TimelineProjectionTarget } from '../projections/runtime/timeline-target.ts';

/**
 * Lease mode writes fenced. The embedded LMDB stores check the owner epoch inside the write
 * transaction, which LMDB serialises between processes. TiKV (RawKV has no multi-key
 * transaction) and the CQL timeline check it apart from writing, and order each row's writes by
 * the stream position instead (compare-and-swap on the row's version; write timestamps), so a
 * stale owner's write that passed the check just before a takeover cannot replace a newer row
 * nor move a checkpoint back (docs/adr/0220). On TiKV a batch commits by one compare-and-swap of
 * the fence record naming the batch's redo, and a claim replays the last committed batch, so a
 * new owner never reads a row ahead of its checkpoint (docs/adr/0340). Refused: a view whose
 * store has no owner epochs.
 */
export function requireFencing(_config: GuardynConfig, projections: Views): void {
  for (const p of Object.values(projections)) {
    const target = p.target;
    if (
      target.claim === undefined ||
      (target instanceof TimelineProjectionTarget && target.store.claimCheckpoint === undefined)
    ) {
      throw new Error(
        `view ${p.name} is kept in a store that cannot fence owners; run one projection worker (unset GUARDYN_PROJECTIONS__PARTITIONS and GUARDYN_PROJECTIONS__WORKER_ID)`,
      );
    }
  }
}

/**
 * Views built by older code at another version (projections/runtime/versions.ts): one worker empties
 * them, and its runners build them again from the stream as they start. Several workers
 * (leases) cannot agree on who does it while others apply: they refuse to start and say how.
 */
export async function renewOutdatedViews(
  log: EventLog,
  projections: Views,
  logger: Logger,
  kv: KvStore,
  partitions: number,
  leases: boolean,
): Promise<void> {
  const outdated = await outdatedViews(kv, Object.keys(projections), (view) =>
    viewCheckpoint(projections[view as ViewName], partitions),
  );
  if (outdated.length === 0) return;
  const names = outdated.map((o) => o.view).join(' ');
  if (leases) {
    throw new ViewVersionMismatch(
      `views ${outdated.map((o) => `${o.view} (version ${o.have}, this code keeps ${o.want})`).join(', ')} were built by an older Guardyn: ` +
        `stop every projection worker and run \`guardyn rebuild ${names}\`, then start the workers`,
    );
  }
  for (const o of outdated) {
    logger.warn(
      { view: o.view, version: o.have, current: o.want },
      'view built by an older Guardyn; rebuilding it from its stream',
    );
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
  if (!Number.isInteger(k) || k >= partitions)
    throw new RangeError(`no lease unit ${unit} with ${partitions} partitions`);
  return all.filter((p) => isPartitioned(p.name, partitions)).map((p) => partitionOf(p, k, partitions));
}

export function leaseUnits(partitions: number): string[] {
  return [...(partitions > 1 ? Array.from({ length: partitions }, (_, k) => `p${k}`) : []), 'single'];
}

/** The views one reader serves: views of one stream (and filter) whose stores write together. */
export interface ReaderGroup<P> {
  readonly stream: string;
  readonly projections: P[];
  /** The shared durable consumer: `views_<stream>`, with the store's kind when the stream's views need several readers. */
  readonly consumer: string;
  /** Durable consumers of other layouts of the same stream, not used in this process: deleted at start. */
  readonly replaces: string[];
}

type Grouped = { name: string; stream: string; filterSubject: string; target: { store?: object } };

/** The kind of store a view writes, for consumer names: `kv` or `timeline`. */
function storeKind(target: object): string {
  return target instanceof TimelineProjectionTarget ? 'timeline' : 'kv';
}

/**
 * One reader per (stream, store): the views of a stream are grouped by what their stores write
 * to (`storageOf`), in first-seen order. On the embedded default the key-value and timeline views
 * share one LMDB environment and so one reader; on TiKV + ScyllaDB the key-value views of a stream
 * share one reader and the timeline has its own, so the fast store never waits for the slow one.
 */
export function byReader<P extends Grouped>(
  projections: readonly P[],
  storage: (store: object) => object = storageOf,
): ReaderGroup<P>[] {
  const groups = new Map<string, { stream: string; storage: object; projections: P[] }[]>();
  for (const p of projections) {
    const streamKey = `${p.stream}\u0000${p.filterSubject}`;
    const where = storage(p.target.store ?? p.target);
    let ofStream = groups.get(streamKey);
    if (ofStream === undefined) groups.set(streamKey, (ofStream = []));
    const group = ofStream.find((g) => g.storage === where);
    if (group) group.projections.push(p);
    else ofStream.push({ stream: p.stream, storage: where, projections: [p] });
  }
  const out: ReaderGroup<P>[] = [];
  for (const ofStream of groups.values()) {
    const named = ofStream.map((g) => {
      const kinds = [...new Set(g.projections.map((p) => storeKind(p.target)))].sort();
      return {
        ...g,
        consumer:
          ofStream.length === 1 ? sharedDurableName(g.stream) : `${sharedDurableName(g.stream)}_${kinds.join('_')}`,
      };
    });
    const stream = ofStream[0]!.stream;
    const used = new Set(named.map((g) => (g.projections.length === 1 ? durableName(g.projections[0]!) : g.consumer)));
    const layouts = [
      sharedDurableName(stream),
      `${sharedDurableName(stream)}_kv`,
      `${sharedDurableName(stream)}_timeline`,
      `${sharedDurableName(stream)}_kv_timeline`,
    ];
    for (const g of named)
      out.push({
        stream,
        projections: g.projections,
        consumer: g.consumer,
        replaces: layouts.filter((n) => !used.has(n)),
      });
  }
  return out;
}

/** The per-view fault hooks as one runner option. */
function hooks(runnerOptions: (view: string) => { afterProject?: ((seq: number) => void) | undefined }): {
  afterProject?: (seq: number, view: string) => void;
} {
  const cache = new Map<string, ((seq: number) => void) | undefined>();
  const of = (view: string) => {
    if (!cache.has(view)) cache.set(view, runnerOptions(view).afterProject);
    return cache.get(view);
  };
  return { afterProject: (seq, view) => of(view)?.(seq) };
}

export async function startProjectionWorkers(
  config: GuardynConfig,
  log: EventLog,
  projections: Views,
  logger: Logger,
  runnerOptions: (view: string) => { afterProject?: ((seq: number) => void) | undefined },
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
      // One runner (one reader) per stream and store: each commit read and decoded once for the views of a store.
      for (const group of byReader(Object.values(projections))) {
        const runner = new ProjectionRunner(
          log,
          group.projections,
          logger.child({ stream: group.stream, consumer: group.consumer }),
          {
            ...hooks(runnerOptions),
            consumer: group.consumer,
            replaces: group.replaces,
          },
        );
        await runner.start();
        runners.push(runner);
        for (const p of group.projections) progress[p.name as ViewName] = runner.progressOf(p.name);
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
  const keeper: LeaseKeeper = new LeaseKeeper(
    leaseLog(log),
    {
      workerId,
      units: leaseUnits(partitions),
      leaseMs,
      replicas: leaseReplicas(log, config.messaging.streamReplicas),
      logger: logger.child({ worker: workerId }),
    },
    {
      async acquired(unit, epoch) {
        const runners: ProjectionRunner<unknown>[] = [];
        running.set(unit, runners);
        try {
          for (const group of byReader(unitProjections(projections, unit, partitions))) {
            const runner = new ProjectionRunner(log, group.projections, logger.child({ stream: group.stream, unit }), {
              ...hooks(runnerOptions),
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
    },
  );
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
