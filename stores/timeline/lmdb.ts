/**
 * The timeline port on LMDB.
 *
 * Rows live in one binary database keyed by key(partition, position): the
 * partition's UTF-8 bytes, 0x00, then the position as 8 bytes big-endian, so a
 * partition's rows are contiguous and ordered by position. A row's value is
 * ROW_FORMAT (one byte), the time as a float64 big-endian, then the row bytes.
 * Checkpoints live in a second database of the same environment, keyed by the
 * UTF-8 name, holding the position as 8 bytes big-endian; `write` puts rows and
 * checkpoint in one abortable LMDB transaction.
 *
 * Time buckets: a third database indexes each partition by minute
 * (key(partition, bucket) → [highest position of any row in this bucket or an
 * earlier one, lowest position of any row in this bucket or a later one]), kept
 * in the same transaction as the rows. A page with `toTime` starts its walk at
 * the first bound, one with `fromTime` stops at the second, so a time window
 * deep in a long history reads about a window's rows, not the whole partition.
 * The bounds only ever widen, so they never exclude a row; the walk still
 * filters by time. A store that held rows before the index existed (no
 * INDEX_VERSION mark) walks without it.
 */
import { ABORT } from 'lmdb';
import { childPrefix, key, prefixEnd, utf8 } from '../kv/keys.ts';
import { LMDB_MAX_KEY_BYTES, plainBytes, type BinaryDatabase } from '../kv/lmdb.ts';
import {
  TimelineFenced,
  type Page,
  type PageOptions,
  type TimelineCheckpoint,
  type TimelineRow,
  type TimelineStore,
} from './port.ts';
import {
  requireCheckpoint,
  requireCheckpointName,
  requirePageOptions,
  requirePosition,
  requireRow,
} from './arguments.ts';

const ROW_FORMAT = 1;
const ROW_HEADER_BYTES = 1 + 8;
const POSITION_BYTES = 8;
/** Bytes a row key adds to the partition name: the separator and the position. */
const ROW_KEY_OVERHEAD = 1 + POSITION_BYTES;

function requirePartition(partition: unknown, field = 'partition'): asserts partition is string {
  if (typeof partition !== 'string') throw new TypeError(`${field} must be a string, got ${typeof partition}`);
  if (partition.length === 0) throw new RangeError(`${field} must not be empty`);
  if (partition.includes('\u0000'))
    throw new RangeError(`${field} must not contain a NUL character: ${JSON.stringify(partition)}`);
  const bytes = utf8(partition).length;
  if (bytes + ROW_KEY_OVERHEAD > LMDB_MAX_KEY_BYTES) {
    throw new RangeError(
      `${field} is ${bytes} bytes of UTF-8; the embedded LMDB timeline accepts at most ${LMDB_MAX_KEY_BYTES - ROW_KEY_OVERHEAD}`,
    );
  }
}

function requireLmdbCheckpointName(name: unknown): asserts name is string {
  requireCheckpointName(name);
  const bytes = utf8(name).length;
  if (bytes > LMDB_MAX_KEY_BYTES) {
    throw new RangeError(
      `checkpoint name is ${bytes} bytes of UTF-8; the embedded LMDB timeline accepts at most ${LMDB_MAX_KEY_BYTES}`,
    );
  }
}

function encodeRowValue(row: TimelineRow): Uint8Array {
  const out = new Uint8Array(ROW_HEADER_BYTES + row.value.length);
  out[0] = ROW_FORMAT;
  new DataView(out.buffer).setFloat64(1, row.time);
  out.set(row.value, ROW_HEADER_BYTES);
  return out;
}

function decodeRow(partition: string, position: number, stored: Uint8Array): TimelineRow {
  if (stored.length < ROW_HEADER_BYTES || stored[0] !== ROW_FORMAT) {
    throw new Error(`timeline row ${JSON.stringify(partition)}/${position} is not in row format ${ROW_FORMAT}`);
  }
  const time = new DataView(stored.buffer, stored.byteOffset, stored.byteLength).getFloat64(1);
  return { partition, position, time, value: plainBytes(stored.subarray(ROW_HEADER_BYTES)) };
}

/** The position held in the last 8 bytes of a row key. */
function positionOf(rowKey: Uint8Array): number {
  return Number(
    new DataView(rowKey.buffer, rowKey.byteOffset, rowKey.byteLength).getBigUint64(rowKey.length - POSITION_BYTES),
  );
}

function encodePosition(position: number): Uint8Array {
  const out = new Uint8Array(POSITION_BYTES);
  new DataView(out.buffer).setBigUint64(0, BigInt(position));
  return out;
}

function decodePosition(name: string, stored: Uint8Array): number {
  if (stored.length !== POSITION_BYTES)
    throw new Error(`checkpoint ${JSON.stringify(name)} holds ${stored.length} bytes, expected ${POSITION_BYTES}`);
  return Number(new DataView(stored.buffer, stored.byteOffset, stored.byteLength).getBigUint64(0));
}

/** The owner epoch of checkpoint `name` (fencing), beside the checkpoints: no checkpoint name holds a NUL. */
const fenceKeyOf = (name: string): Uint8Array => utf8(`\u0000fence\u0000${name}`);
const readEpoch = (stored: Uint8Array | undefined): number =>
  stored === undefined ? 0 : decodePosition('fence', stored);

/** Minutes: a bucket of the time index. */
export const BUCKET_MS = 60_000;
const bucketOf = (time: number): number => Math.max(0, Math.floor(time / BUCKET_MS));
/** The mark (in the bucket database) of a store whose every row is indexed. */
const INDEX_VERSION = utf8('\u0000index-v1');

interface Bounds {
  /** Highest position of a row in this bucket or an earlier one. */
  upTo: number;
  /** Lowest position of a row in this bucket or a later one. */
  from: number;
}

function encodeBounds(b: Bounds): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(b.upTo));
  view.setBigUint64(8, BigInt(b.from));
  return out;
}

function decodeBounds(stored: Uint8Array): Bounds {
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  return { upTo: Number(view.getBigUint64(0)), from: Number(view.getBigUint64(8)) };
}

/** The bucket number held in the last 8 bytes of a bucket key. */
const bucketOfKey = positionOfKey;

function positionOfKey(k: Uint8Array): number {
  return Number(new DataView(k.buffer, k.byteOffset, k.byteLength).getBigUint64(k.length - POSITION_BYTES));
}

const inTimeRange = (time: number, options: PageOptions): boolean =>
  (options.fromTime === undefined || time >= options.fromTime) &&
  (options.toTime === undefined || time < options.toTime);

export class LmdbTimelineStore implements TimelineStore {
  private closed = false;

  /**
   * @param rows binary database for rows, and `checkpoints` one for checkpoints;
   *   both must belong to the same LMDB environment so a write is one transaction.
   * @param release called once by close(), after pending writes have committed.
   */
  /** Whether every row of the store is in the time index (see INDEX_VERSION). */
  private readonly indexed: boolean;

  constructor(
    private readonly rows: BinaryDatabase,
    private readonly checkpoints: BinaryDatabase,
    private readonly buckets: BinaryDatabase,
    private readonly release: () => Promise<void> = async () => {},
  ) {
    let indexed = buckets.get(INDEX_VERSION) !== undefined;
    if (!indexed && rows.getKeysCount({ limit: 1 }) === 0) {
      buckets.putSync(INDEX_VERSION, Uint8Array.of(1));
      indexed = true;
    }
    this.indexed = indexed;
  }

  /**
   * Widens the bounds of the buckets around `bucket` for rows at positions `low` to `high` of
   * it (inside the write transaction). The bounds are monotonic across a partition's buckets
   * (`upTo` never falls from one bucket to the next, nor does `from`): when this bucket's `upTo`
   * already covers `high`, every later bucket's does too and they are not walked; when its
   * `from` is already at most `low`, neither are the earlier ones (an append in time order walks
   * at most the later buckets, and stops at the first).
   */
  private indexRows(partition: string, bucket: number, low: number, high: number): void {
    const prefix = childPrefix(partition);
    const own = key(partition, bucket);
    const stored = this.buckets.get(own);
    let bounds: Bounds;
    let later = true;
    let earlier = true;
    if (stored === undefined) {
      // A new bucket starts from its neighbours' bounds.
      let upTo = high;
      let from = low;
      for (const e of this.buckets.getRange({ start: own, end: prefix, reverse: true, exclusiveStart: true, limit: 1 }))
        upTo = Math.max(upTo, decodeBounds(e.value).upTo);
      for (const e of this.buckets.getRange({ start: own, end: prefixEnd(prefix), exclusiveStart: true, limit: 1 }))
        from = Math.min(from, decodeBounds(e.value).from);
      bounds = { upTo, from };
    } else {
      const b = decodeBounds(stored);
      bounds = { upTo: Math.max(b.upTo, high), from: Math.min(b.from, low) };
      later = bounds.upTo !== b.upTo;
      earlier = bounds.from !== b.from;
      if (!later && !earlier) return;
    }
    this.buckets.putSync(own, encodeBounds(bounds));
    // Later buckets' highest position and earlier buckets' lowest one may move too.
    if (later) {
      for (const e of this.buckets.getRange({ start: own, end: prefixEnd(prefix), exclusiveStart: true })) {
        const b = decodeBounds(e.value);
        if (b.upTo >= high) break;
        this.buckets.putSync(e.key, encodeBounds({ ...b, upTo: high }));
      }
    }
    if (earlier) {
      for (const e of this.buckets.getRange({ start: own, end: prefix, reverse: true, exclusiveStart: true })) {
        const b = decodeBounds(e.value);
        if (b.from <= low) break;
        this.buckets.putSync(e.key, encodeBounds({ ...b, from: low }));
      }
    }
  }

  /** The positions a time window can hold rows in: [lowest, highest], or undefined when none. */
  private windowBounds(partition: string, options: PageOptions): { lowest: number; highest: number } | undefined {
    const prefix = childPrefix(partition);
    let lowest = 1;
    let highest = Number.MAX_SAFE_INTEGER;
    if (options.toTime !== undefined) {
      // The last bucket a row with time < toTime can be in.
      const last = bucketOf(Math.ceil(options.toTime) - 1);
      let found = false;
      for (const e of this.buckets.getRange({ start: key(partition, last), end: prefix, reverse: true, limit: 1 })) {
        if (bucketOfKey(e.key) <= last) {
          highest = decodeBounds(e.value).upTo;
          found = true;
        }
      }
      if (!found || options.toTime <= 0) return undefined;
    }
    if (options.fromTime !== undefined) {
      let found = false;
      for (const e of this.buckets.getRange({
        start: key(partition, bucketOf(options.fromTime)),
        end: prefixEnd(prefix),
        limit: 1,
      })) {
        lowest = decodeBounds(e.value).from;
        found = true;
      }
      if (!found) return undefined;
    }
    return lowest <= highest ? { lowest, highest } : undefined;
  }

  async write(rows: readonly TimelineRow[], checkpoint?: TimelineCheckpoint): Promise<void> {
    this.assertOpen();
    if (!Array.isArray(rows)) throw new TypeError('rows must be an array');
    rows.forEach((row, i) => requireRow(row, i, requirePartition));
    if (checkpoint !== undefined) requireCheckpoint(checkpoint, requireLmdbCheckpointName);
    // Encode everything before the transaction, so nothing can fail half way.
    const puts = rows.map((row) => ({ key: key(row.partition, row.position), value: encodeRowValue(row) }));
    const checkpointPut = checkpoint && { key: utf8(checkpoint.name), value: encodePosition(checkpoint.position) };
    if (puts.length === 0 && !checkpointPut) return;
    // The time index: the newest and oldest position of each (partition, bucket) of the batch.
    const touched = new Map<string, { partition: string; bucket: number; low: number; high: number }>();
    if (this.indexed) {
      for (const row of rows) {
        const bucket = bucketOf(row.time);
        const k = `${row.partition}\u0000${bucket}`;
        const t = touched.get(k);
        if (t === undefined)
          touched.set(k, { partition: row.partition, bucket, low: row.position, high: row.position });
        else {
          t.low = Math.min(t.low, row.position);
          t.high = Math.max(t.high, row.position);
        }
      }
    }
    const fence = checkpoint?.fence;
    if (fence !== undefined && (!Number.isSafeInteger(fence) || fence < 1))
      throw new RangeError(`checkpoint fence must be a positive safe integer, got ${String(fence)}`);
    const fenceKey = checkpoint && fenceKeyOf(checkpoint.name);
    const outcome = await this.rows.childTransaction(() => {
      // Fenced: the owner epoch is read inside the write transaction, which LMDB serialises across processes.
      if (fence !== undefined && readEpoch(this.checkpoints.get(fenceKey!)) !== fence) return ABORT;
      for (const put of puts) this.rows.putSync(put.key, put.value);
      for (const t of touched.values()) this.indexRows(t.partition, t.bucket, t.low, t.high);
      if (checkpointPut) this.checkpoints.putSync(checkpointPut.key, checkpointPut.value);
      return true;
    });
    if (outcome !== true) throw new TimelineFenced(checkpoint!.name, fence!);
  }

  async claimCheckpoint(name: string, epoch: number): Promise<number | undefined> {
    this.assertOpen();
    requireLmdbCheckpointName(name);
    if (!Number.isSafeInteger(epoch) || epoch < 1)
      throw new RangeError(`epoch must be a positive safe integer, got ${String(epoch)}`);
    const fenceKey = fenceKeyOf(name);
    return this.rows.childTransaction(() => {
      if (readEpoch(this.checkpoints.get(fenceKey)) > epoch) return undefined;
      this.checkpoints.putSync(fenceKey, encodePosition(epoch));
      const stored = this.checkpoints.get(utf8(name));
      return stored === undefined ? 0 : decodePosition(name, stored);
    });
  }

  async get(partition: string, position: number): Promise<TimelineRow | undefined> {
    this.assertOpen();
    requirePartition(partition);
    requirePosition(position);
    const stored = this.rows.get(key(partition, position));
    return stored === undefined ? undefined : decodeRow(partition, position, stored);
  }

  async page(partition: string, options: PageOptions): Promise<Page> {
    this.assertOpen();
    requirePartition(partition);
    requirePageOptions(options);
    const { fromTime, toTime } = options;
    if (fromTime !== undefined && toTime !== undefined && fromTime >= toTime) return { rows: [] };
    const prefix = childPrefix(partition);
    let upper = options.before === undefined ? prefixEnd(prefix) : key(partition, options.before);
    let lower = prefix;
    if (this.indexed && (fromTime !== undefined || toTime !== undefined)) {
      const window = this.windowBounds(partition, options);
      if (window === undefined) return { rows: [] };
      if (toTime !== undefined && (options.before === undefined || window.highest < options.before))
        upper = key(partition, window.highest + 1);
      lower = key(partition, window.lowest);
    }
    // Collect one matching row beyond the page to learn whether another page exists.
    const matching: TimelineRow[] = [];
    const descending = this.rows.getRange({
      start: upper,
      end: lower,
      exclusiveStart: true,
      inclusiveEnd: true,
      reverse: true,
    });
    for (const entry of descending) {
      const row = decodeRow(partition, positionOf(entry.key), entry.value);
      if (!inTimeRange(row.time, options)) continue;
      matching.push(row);
      if (matching.length > options.limit) break;
    }
    if (matching.length <= options.limit) return { rows: matching };
    const rows = matching.slice(0, options.limit);
    return { rows, next: rows[rows.length - 1]!.position };
  }

  async checkpoint(name: string): Promise<number> {
    this.assertOpen();
    requireLmdbCheckpointName(name);
    const stored = this.checkpoints.get(utf8(name));
    return stored === undefined ? 0 : decodePosition(name, stored);
  }

  async dropPartition(partition: string): Promise<void> {
    this.assertOpen();
    requirePartition(partition);
    const prefix = childPrefix(partition);
    await this.rows.childTransaction(() => {
      const keys = [...this.rows.getKeys({ start: prefix, end: prefixEnd(prefix) })];
      for (const rowKey of keys) this.rows.removeSync(rowKey);
      const bucketKeys = [...this.buckets.getKeys({ start: prefix, end: prefixEnd(prefix) })];
      for (const bucketKey of bucketKeys) this.buckets.removeSync(bucketKey);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.rows.committed;
    await this.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the LMDB timeline store is closed');
  }
}
