/**
 * The ordered key-value port on LMDB (the `lmdb` package). Keys and values are
 * stored as raw bytes (keyEncoding and encoding 'binary'), so LMDB's default
 * comparator orders keys by unsigned bytes, exactly as TiKV does.
 *
 * Conditional batches and compare-and-swap run inside one abortable LMDB write
 * transaction (lmdb-js `childTransaction`): the conditions are read and the
 * writes applied under the single writer lock, so they are atomic across
 * callers and across processes sharing the environment.
 */
import { ABORT, type Database } from 'lmdb';
import { bytesEqual, compareBytes } from './keys.ts';
import {
  MAX_SCAN_LIMIT,
  type Bytes,
  type KvCondition,
  type KvEntry,
  type KvStore,
  type KvWrite,
  type ScanOptions,
} from './port.ts';

/** A database opened with keyEncoding 'binary' and encoding 'binary'. */
export type BinaryDatabase = Database<Uint8Array, Uint8Array>;

/** The longest key LMDB accepts (lmdb-js builds LMDB with MDB_MAXKEYSIZE 1978). */
export const LMDB_MAX_KEY_BYTES = 1978;

/** A view of the same bytes typed as a plain Uint8Array (lmdb-js hands out Buffers). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function requireBytes(value: unknown, field: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${field} must be a Uint8Array, got ${describe(value)}`);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** Checks a key: bytes, not empty, not longer than LMDB allows. */
export function requireKey(key: unknown, field = 'key'): asserts key is Uint8Array {
  requireBytes(key, field);
  if (key.length === 0) throw new RangeError(`${field} must not be empty`);
  if (key.length > LMDB_MAX_KEY_BYTES) {
    throw new RangeError(
      `${field} is ${key.length} bytes; the embedded LMDB store accepts at most ${LMDB_MAX_KEY_BYTES}`,
    );
  }
}

function requireValue(value: unknown, field: string): asserts value is Uint8Array {
  requireBytes(value, field);
}

function requireNullableValue(value: unknown, field: string): asserts value is Uint8Array | null {
  if (value !== null) requireValue(value, field);
}

function requireWrites(writes: readonly KvWrite[]): void {
  if (!Array.isArray(writes)) throw new TypeError(`writes must be an array, got ${describe(writes)}`);
  writes.forEach((write, i) => {
    requireKey(write?.key, `writes[${i}].key`);
    requireNullableValue(write.value, `writes[${i}].value`);
  });
}

function requireConditions(conditions: readonly KvCondition[]): void {
  if (!Array.isArray(conditions)) throw new TypeError(`conditions must be an array, got ${describe(conditions)}`);
  conditions.forEach((condition, i) => {
    requireKey(condition?.key, `conditions[${i}].key`);
    requireNullableValue(condition.expected, `conditions[${i}].expected`);
  });
}

function requireScanOptions(options: ScanOptions): void {
  requireBytes(options?.start, 'scan start');
  if (options.start.length > LMDB_MAX_KEY_BYTES) {
    throw new RangeError(
      `scan start is ${options.start.length} bytes; the embedded LMDB store accepts at most ${LMDB_MAX_KEY_BYTES}`,
    );
  }
  // An empty end would mean "no key" by the port's rule but "unbounded" to TiKV: refuse it on every adapter.
  requireKey(options.end, 'scan end');
  const { limit } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SCAN_LIMIT) {
    throw new RangeError(`scan limit must be an integer from 1 to ${MAX_SCAN_LIMIT}, got ${String(limit)}`);
  }
  if (options.reverse !== undefined && typeof options.reverse !== 'boolean') {
    throw new TypeError(`scan reverse must be a boolean, got ${describe(options.reverse)}`);
  }
}

export class LmdbKvStore implements KvStore {
  private closed = false;

  /**
   * @param db a binary database (see BinaryDatabase).
   * @param release called once by close(), after pending writes have committed
   *   (e.g. to close the environment when this store owns it).
   */
  constructor(
    private readonly db: BinaryDatabase,
    private readonly release: () => Promise<void> = async () => {},
  ) {}

  async get(key: Bytes): Promise<Bytes | undefined> {
    this.assertOpen();
    requireKey(key);
    return this.read(key);
  }

  async getMany(keys: readonly Bytes[]): Promise<(Bytes | undefined)[]> {
    this.assertOpen();
    if (!Array.isArray(keys)) throw new TypeError(`keys must be an array, got ${describe(keys)}`);
    keys.forEach((key, i) => requireKey(key, `keys[${i}]`));
    // Synchronous reads in one turn share lmdb-js's read transaction: one snapshot.
    return keys.map((key) => this.read(key));
  }

  async put(key: Bytes, value: Bytes): Promise<void> {
    this.assertOpen();
    requireKey(key);
    requireValue(value, 'value');
    // lmdb-js writes a Uint8Array value by address when the batch commits: copy
    // it so a caller reusing its buffer cannot change what gets stored.
    await this.db.put(key.slice(), value.slice());
  }

  async delete(key: Bytes): Promise<void> {
    this.assertOpen();
    requireKey(key);
    await this.db.remove(key.slice());
  }

  async batch(writes: readonly KvWrite[], conditions: readonly KvCondition[] = []): Promise<boolean> {
    this.assertOpen();
    requireWrites(writes);
    requireConditions(conditions);
    if (writes.length === 0 && conditions.length === 0) return true;
    if (conditions.length === 0) {
      await this.unconditional(writes);
      return true;
    }
    // The transaction callback runs later, on lmdb-js's write turn: work on copies.
    const ownWrites = writes.map((w) => ({ key: w.key.slice(), value: w.value === null ? null : w.value.slice() }));
    const ownConditions = conditions.map((c) => ({
      key: c.key.slice(),
      expected: c.expected === null ? null : c.expected.slice(),
    }));
    const outcome = await this.db.childTransaction(() => {
      if (!ownConditions.every((c) => matches(this.read(c.key), c.expected))) return ABORT;
      for (const write of ownWrites) this.apply(write.key, write.value);
      return true;
    });
    return outcome === true;
  }

  async scan(options: ScanOptions): Promise<KvEntry[]> {
    this.assertOpen();
    requireScanOptions(options);
    const { start, end, limit, reverse = false } = options;
    if (compareBytes(start, end) >= 0) return [];
    const range = reverse
      ? // lmdb-js walks a reverse range from `start` down to `end`.
        { start: end, end: start, exclusiveStart: true, inclusiveEnd: true, reverse: true, limit }
      : { start, end, limit };
    const entries: KvEntry[] = [];
    for (const entry of this.db.getRange(range)) {
      entries.push({ key: plainBytes(entry.key), value: plainBytes(entry.value) });
    }
    return entries;
  }

  async compareAndSwap(
    key: Bytes,
    expected: Bytes | null,
    next: Bytes | null,
  ): Promise<{ swapped: boolean; previous: Bytes | undefined }> {
    this.assertOpen();
    requireKey(key);
    requireNullableValue(expected, 'expected');
    requireNullableValue(next, 'next');
    const [ownKey, ownExpected, ownNext] = [
      key.slice(),
      expected === null ? null : expected.slice(),
      next === null ? null : next.slice(),
    ];
    return this.db.childTransaction(() => {
      const previous = this.read(ownKey);
      const swapped = matches(previous, ownExpected);
      if (swapped) this.apply(ownKey, ownNext);
      return { swapped, previous };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.committed;
    await this.release();
  }

  /**
   * An unconditional batch as one lmdb-js batch: the operations are queued in one block that
   * lmdb-js writes in one transaction, and its write thread applies them to the B-tree, so the
   * JavaScript thread only queues them (a transaction callback would make every put on this
   * thread). lmdb-js copies keys when queued but reads values by address when it writes: the
   * values are copied into one buffer of the batch's own, so a caller may reuse its buffers.
   */
  private async unconditional(writes: readonly KvWrite[]): Promise<void> {
    let bytes = 0;
    for (const w of writes) if (w.value !== null) bytes += w.value.length;
    const values = Buffer.allocUnsafeSlow(bytes);
    let offset = 0;
    const db = this.db;
    await db.batch(() => {
      for (const w of writes) {
        if (w.value === null) {
          void db.remove(w.key);
          continue;
        }
        values.set(w.value, offset);
        void db.put(w.key, values.subarray(offset, offset + w.value.length));
        offset += w.value.length;
      }
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the LMDB key-value store is closed');
  }

  /** Reads one key (inside a write transaction, it sees that transaction's writes). */
  private read(key: Bytes): Bytes | undefined {
    const value = this.db.get(key);
    return value === undefined ? undefined : plainBytes(value);
  }

  /** Applies one write; only call inside a write transaction. */
  private apply(key: Bytes, value: Bytes | null): void {
    if (value === null) this.db.removeSync(key);
    else this.db.putSync(key, value);
  }
}

function matches(current: Bytes | undefined, expected: Bytes | null): boolean {
  return expected === null ? current === undefined : current !== undefined && bytesEqual(current, expected);
}
