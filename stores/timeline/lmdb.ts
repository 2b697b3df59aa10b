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
 */
import { childPrefix, key, prefixEnd, utf8 } from '../keys.ts';
import { LMDB_MAX_KEY_BYTES, plainBytes, type BinaryDatabase } from '../kv/lmdb.ts';
import { MAX_PAGE_LIMIT, type Page, type PageOptions, type TimelineRow, type TimelineStore } from './port.ts';

const ROW_FORMAT = 1;
const ROW_HEADER_BYTES = 1 + 8;
const POSITION_BYTES = 8;
/** Bytes a row key adds to the partition name: the separator and the position. */
const ROW_KEY_OVERHEAD = 1 + POSITION_BYTES;

function requirePartition(partition: unknown, field = 'partition'): asserts partition is string {
  if (typeof partition !== 'string') throw new TypeError(`${field} must be a string, got ${typeof partition}`);
  if (partition.length === 0) throw new RangeError(`${field} must not be empty`);
  if (partition.includes('\u0000')) throw new RangeError(`${field} must not contain a NUL character: ${JSON.stringify(partition)}`);
  const bytes = utf8(partition).length;
  if (bytes + ROW_KEY_OVERHEAD > LMDB_MAX_KEY_BYTES) {
    throw new RangeError(`${field} is ${bytes} bytes of UTF-8; the embedded LMDB timeline accepts at most ${LMDB_MAX_KEY_BYTES - ROW_KEY_OVERHEAD}`);
  }
}

function requirePosition(position: unknown, field = 'position'): asserts position is number {
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 1) {
    throw new RangeError(`${field} must be a positive safe integer, got ${String(position)}`);
  }
}

function requireRow(row: TimelineRow, index: number): void {
  const field = `rows[${index}]`;
  if (typeof row !== 'object' || row === null) throw new TypeError(`${field} must be an object`);
  requirePartition(row.partition, `${field}.partition`);
  requirePosition(row.position, `${field}.position`);
  if (typeof row.time !== 'number' || !Number.isSafeInteger(row.time)) {
    throw new RangeError(`${field}.time must be an integer number of milliseconds, got ${String(row.time)}`);
  }
  if (!(row.value instanceof Uint8Array)) throw new TypeError(`${field}.value must be a Uint8Array`);
}

function requireCheckpoint(checkpoint: { readonly name: string; readonly position: number }): void {
  if (typeof checkpoint !== 'object' || checkpoint === null) throw new TypeError('checkpoint must be an object');
  requireCheckpointName(checkpoint.name);
  const { position } = checkpoint;
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`checkpoint position must be a non-negative safe integer, got ${String(position)}`);
  }
}

function requireCheckpointName(name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new TypeError(`checkpoint name must be a string, got ${typeof name}`);
  if (name.length === 0) throw new RangeError('checkpoint name must not be empty');
  const bytes = utf8(name).length;
  if (bytes > LMDB_MAX_KEY_BYTES) {
    throw new RangeError(`checkpoint name is ${bytes} bytes of UTF-8; the embedded LMDB timeline accepts at most ${LMDB_MAX_KEY_BYTES}`);
  }
}

function requirePageOptions(options: PageOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('page options must be an object');
  const { limit, before, fromTime, toTime } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new RangeError(`page limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, got ${String(limit)}`);
  }
  if (before !== undefined) requirePosition(before, 'page before');
  for (const [field, value] of [['fromTime', fromTime], ['toTime', toTime]] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new RangeError(`page ${field} must be a finite number of milliseconds, got ${String(value)}`);
    }
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
  return Number(new DataView(rowKey.buffer, rowKey.byteOffset, rowKey.byteLength).getBigUint64(rowKey.length - POSITION_BYTES));
}

function encodePosition(position: number): Uint8Array {
  const out = new Uint8Array(POSITION_BYTES);
  new DataView(out.buffer).setBigUint64(0, BigInt(position));
  return out;
}

function decodePosition(name: string, stored: Uint8Array): number {
  if (stored.length !== POSITION_BYTES) throw new Error(`checkpoint ${JSON.stringify(name)} holds ${stored.length} bytes, expected ${POSITION_BYTES}`);
  return Number(new DataView(stored.buffer, stored.byteOffset, stored.byteLength).getBigUint64(0));
}

const inTimeRange = (time: number, options: PageOptions): boolean =>
  (options.fromTime === undefined || time >= options.fromTime) && (options.toTime === undefined || time < options.toTime);

export class LmdbTimelineStore implements TimelineStore {
  private closed = false;

  /**
   * @param rows binary database for rows, and `checkpoints` one for checkpoints;
   *   both must belong to the same LMDB environment so a write is one transaction.
   * @param release called once by close(), after pending writes have committed.
   */
  constructor(
    private readonly rows: BinaryDatabase,
    private readonly checkpoints: BinaryDatabase,
    private readonly release: () => Promise<void> = async () => {},
  ) {}

  async write(rows: readonly TimelineRow[], checkpoint?: { readonly name: string; readonly position: number }): Promise<void> {
    this.assertOpen();
    if (!Array.isArray(rows)) throw new TypeError('rows must be an array');
    rows.forEach(requireRow);
    if (checkpoint !== undefined) requireCheckpoint(checkpoint);
    // Encode everything before the transaction, so nothing can fail half way.
    const puts = rows.map((row) => ({ key: key(row.partition, row.position), value: encodeRowValue(row) }));
    const checkpointPut = checkpoint && { key: utf8(checkpoint.name), value: encodePosition(checkpoint.position) };
    if (puts.length === 0 && !checkpointPut) return;
    await this.rows.childTransaction(() => {
      for (const put of puts) this.rows.putSync(put.key, put.value);
      if (checkpointPut) this.checkpoints.putSync(checkpointPut.key, checkpointPut.value);
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
    const upper = options.before === undefined ? prefixEnd(prefix) : key(partition, options.before);
    // Collect one matching row beyond the page to learn whether another page exists.
    const matching: TimelineRow[] = [];
    const descending = this.rows.getRange({ start: upper, end: prefix, exclusiveStart: true, inclusiveEnd: true, reverse: true });
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
    requireCheckpointName(name);
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
