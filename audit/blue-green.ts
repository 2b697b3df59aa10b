/**
 * `guardyn rebuild <view> --verify`: a blue/green rebuild. The view is rebuilt
 * into a new version beside the live one (its own embedded store under
 * `<dataDir>/views-green/<view>`, its own durable consumer `view_<view>_green`),
 * compared row by row with the live view, and switched over only when asked
 * (`--switch`) and only when the new version has caught up with its stream.
 *
 * Switching copies the new version over the live view's keys (or timeline
 * partitions) and moves the live checkpoint to the new version's; the live
 * durable consumer is replaced so it resumes after that checkpoint. Stop the
 * projection workers first, as for any rebuild. The new version is built
 * without side effects (the inbox view's wake-up announcements are off).
 */
import fs from 'node:fs/promises';
import type { Logger } from 'pino';
import type { EventLog } from '../streams/log.ts';
import { deleteDurable } from '../streams/durables.ts';
import type { KvStore } from '../stores/kv/port.ts';
import type { TimelineRow, TimelineStore } from '../stores/timeline/port.ts';
import { openEmbeddedStores } from '../stores/embedded.ts';
import { compareBytes, prefixEnd } from '../stores/kv/keys.ts';
import { allProjections, durableName, type ViewName } from '../projections/index.ts';
import { inboxProjection } from '../projections/inbox/projector.ts';
import type { Projection } from '../projections/runtime/projection.ts';
import { KvProjectionTarget } from '../projections/runtime/kv-target.ts';
import { TimelineProjectionTarget } from '../projections/runtime/timeline-target.ts';
import { catchUpView, resetView } from '../projections/runtime/rebuild.ts';

export interface ViewDifference {
  readonly kind: 'only-live' | 'only-new' | 'changed';
  /** The key (or `partition@position` of a timeline row), printable; values are never shown. */
  readonly key: string;
}

export interface BlueGreenResult {
  readonly view: string;
  readonly stream: string;
  readonly streamLastSeq: number;
  readonly liveCheckpoint: number;
  readonly newCheckpoint: number;
  readonly rows: {
    readonly same: number;
    readonly changed: number;
    readonly onlyLive: number;
    readonly onlyNew: number;
  };
  /** The first differences (at most 50). */
  readonly samples: readonly ViewDifference[];
  readonly parkedInNew: number;
  readonly switched: boolean;
  /** Why it did not switch, when asked to. */
  readonly notSwitched?: string;
  readonly ms: number;
}

const MAX_SAMPLES = 50;
const PAGE = 1000;

const printable = (k: Uint8Array): string =>
  [...k]
    .map((b) =>
      b === 0 ? '/' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`,
    )
    .join('');

/** Every entry under a prefix, ascending, page by page. */
async function* scanAll(store: KvStore, prefix: Uint8Array): AsyncGenerator<{ key: Uint8Array; value: Uint8Array }> {
  let start = prefix;
  const end = prefixEnd(prefix);
  for (;;) {
    const rows = await store.scan({ start, end, limit: PAGE });
    for (const r of rows) yield r;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!.key;
    start = Buffer.concat([last, Buffer.of(0)]);
  }
}

async function* timelineRows(store: TimelineStore, partition: string): AsyncGenerator<TimelineRow> {
  let before: number | undefined;
  for (;;) {
    const page = await store.page(partition, before === undefined ? { limit: PAGE } : { limit: PAGE, before });
    for (const r of page.rows) yield r;
    if (page.next === undefined) return;
    before = page.next;
  }
}

class Tally {
  same = 0;
  changed = 0;
  onlyLive = 0;
  onlyNew = 0;
  readonly samples: ViewDifference[] = [];
  note(kind: ViewDifference['kind'], key: string): void {
    if (kind === 'changed') this.changed++;
    else if (kind === 'only-live') this.onlyLive++;
    else this.onlyNew++;
    if (this.samples.length < MAX_SAMPLES) this.samples.push({ kind, key });
  }
}

/** Merge-compares two ascending iterators. */
async function compareSorted<T>(
  live: AsyncGenerator<T>,
  fresh: AsyncGenerator<T>,
  order: (a: T, b: T) => number,
  equal: (a: T, b: T) => boolean,
  name: (t: T) => string,
  tally: Tally,
): Promise<void> {
  let a = await live.next();
  let b = await fresh.next();
  while (!a.done || !b.done) {
    const c = a.done ? 1 : b.done ? -1 : order(a.value, b.value);
    if (c < 0) {
      tally.note('only-live', name(a.value as T));
      a = await live.next();
    } else if (c > 0) {
      tally.note('only-new', name(b.value as T));
      b = await fresh.next();
    } else {
      if (equal(a.value as T, b.value as T)) tally.same++;
      else tally.note('changed', name(a.value as T));
      a = await live.next();
      b = await fresh.next();
    }
  }
}

async function compareViews(live: Projection<unknown>, fresh: Projection<unknown>, tally: Tally): Promise<void> {
  if (live.target instanceof KvProjectionTarget && fresh.target instanceof KvProjectionTarget) {
    for (const prefix of live.target.ownedPrefixes) {
      await compareSorted(
        scanAll(live.target.store, prefix),
        scanAll(fresh.target.store, prefix),
        (x, y) => compareBytes(x.key, y.key),
        (x, y) => Buffer.compare(x.value, y.value) === 0,
        (x) => printable(x.key),
        tally,
      );
    }
    return;
  }
  if (live.target instanceof TimelineProjectionTarget && fresh.target instanceof TimelineProjectionTarget) {
    const partitions = [...new Set([...(await live.target.partitions()), ...(await fresh.target.partitions())])].sort();
    for (const p of partitions) {
      await compareSorted(
        timelineRows(live.target.store, p),
        timelineRows(fresh.target.store, p),
        (x, y) => y.position - x.position,
        (x, y) => x.time === y.time && Buffer.compare(x.value, y.value) === 0,
        (x) => `${x.partition}@${x.position}`,
        tally,
      );
    }
    return;
  }
  throw new Error(`view ${live.name} has a target the comparison does not know`);
}

async function switchOver(
  log: EventLog,
  live: Projection<unknown>,
  fresh: Projection<unknown>,
  seq: number,
): Promise<void> {
  await deleteDurable(log, live.stream, durableName(live));
  await live.target.reset(live.name);
  if (live.target instanceof KvProjectionTarget && fresh.target instanceof KvProjectionTarget) {
    for (const prefix of live.target.ownedPrefixes) {
      let batch: { key: Uint8Array; value: Uint8Array }[] = [];
      for await (const r of scanAll(fresh.target.store, prefix)) {
        batch.push(r);
        if (batch.length >= PAGE) {
          await live.target.store.batch(batch);
          batch = [];
        }
      }
      if (batch.length) await live.target.store.batch(batch);
    }
    await live.target.commit(live.name, live.target.begin(), seq, []);
    return;
  }
  if (live.target instanceof TimelineProjectionTarget && fresh.target instanceof TimelineProjectionTarget) {
    for (const p of await fresh.target.partitions()) {
      let batch: TimelineRow[] = [];
      // Versioned as of the switch's position: on a store that orders writes by version (ScyllaDB,
      // docs/adr/0220) the copy replaces the live rows, which no live batch wrote past `seq`.
      for await (const r of timelineRows(fresh.target.store, p)) {
        batch.push({ ...r, version: seq });
        if (batch.length >= PAGE) {
          await live.target.store.write(batch);
          batch = [];
        }
      }
      if (batch.length) await live.target.store.write(batch);
    }
    await live.target.store.write([], { name: live.name, position: seq, version: seq });
    return;
  }
  throw new Error(`view ${live.name} has a target the switch does not know`);
}

export interface BlueGreenOptions {
  readonly view: ViewName;
  /** The directory of the new version's store (emptied first, removed at the end). */
  readonly greenDir: string;
  /** Switch the live view over to the new version when it has caught up. */
  readonly switchOver: boolean;
}

export async function rebuildBesideLive(
  log: EventLog,
  liveStores: { kv: KvStore; timeline: TimelineStore },
  options: BlueGreenOptions,
  logger: Logger,
): Promise<BlueGreenResult> {
  const started = Date.now();
  const { view } = options;
  await fs.rm(options.greenDir, { recursive: true, force: true });
  const green = await openEmbeddedStores(options.greenDir);
  try {
    const live = allProjections(liveStores, log)[view];
    const built = { ...allProjections(green, log), inbox: inboxProjection(green.kv) }[view] as Projection<unknown>;
    const fresh: Projection<unknown> = { ...built, name: `${view}_green` };
    await resetView(log, fresh);
    await catchUpView(log, fresh, logger);
    await deleteDurable(log, fresh.stream, durableName(fresh)).catch(() => false);
    const newCheckpoint = await fresh.target.checkpoint(fresh.name);
    const liveCheckpoint = await live.target.checkpoint(live.name);
    const tally = new Tally();
    await compareViews(live, fresh, tally);
    const parkedInNew = (await fresh.target.parked(fresh.name)).length;
    const streamLastSeq = await log.lastSeq(live.stream);
    let switched = false;
    let notSwitched: string | undefined;
    if (options.switchOver) {
      if (newCheckpoint < streamLastSeq)
        notSwitched = `the new version is at ${newCheckpoint}, the stream at ${streamLastSeq}: not caught up, run again`;
      else {
        await switchOver(log, live, fresh, newCheckpoint);
        switched = true;
      }
    }
    return {
      view,
      stream: live.stream,
      streamLastSeq,
      liveCheckpoint,
      newCheckpoint,
      rows: { same: tally.same, changed: tally.changed, onlyLive: tally.onlyLive, onlyNew: tally.onlyNew },
      samples: tally.samples,
      parkedInNew,
      switched,
      ...(notSwitched === undefined ? {} : { notSwitched }),
      ms: Date.now() - started,
    };
  } finally {
    await green.close();
    await fs.rm(options.greenDir, { recursive: true, force: true });
  }
}
