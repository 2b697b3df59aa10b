/**
 * The ordered key-value port. Views that are looked up by key (users, sessions,
 * conversation lists, checkpoints) live here. Keys and values are bytes; keys
 * order by unsigned byte comparison, exactly as TiKV orders them, so a scan
 * returns the same rows on every adapter.
 *
 * Production adapter: TiKV RawKV. Embedded default: LMDB.
 */

export type Bytes = Uint8Array;

/** One write of an atomic batch: a put (value given) or a delete (value null). */
export interface KvWrite {
  readonly key: Bytes;
  readonly value: Bytes | null;
  /**
   * A versioned write (a view row or checkpoint under partitioned projections: the stream
   * sequence of the commit that wrote it, a non-negative safe integer). On an adapter with
   * `versionedWrites`, it lands only if the key holds no value (or delete) of the same or a
   * higher version, so a stale writer's late write never replaces a newer one; a delete
   * leaves its version behind (read as absent) so an older put cannot bring the key back.
   * A value written without a version counts as older than every versioned one. Adapters
   * whose conditional batch is atomic (LMDB) may ignore it: their fence already orders writers.
   */
  readonly version?: number;
}

/** A condition that must hold for a batch to commit (compare-and-swap on one key). */
export interface KvCondition {
  readonly key: Bytes;
  /** null means "the key must be absent". */
  readonly expected: Bytes | null;
}

export interface KvEntry {
  readonly key: Bytes;
  readonly value: Bytes;
}

export interface ScanOptions {
  /** Inclusive lower bound. */
  readonly start: Bytes;
  /** Exclusive upper bound. */
  readonly end: Bytes;
  /** At most this many entries (1..10240). */
  readonly limit: number;
  /** Descending order: the largest key below `end` comes first. */
  readonly reverse?: boolean;
}

export interface KvStore {
  /** Whether `KvWrite.version` is honoured (see there); absent: versions are ignored. */
  readonly versionedWrites?: boolean;
  get(key: Bytes): Promise<Bytes | undefined>;
  /** Values in the order of `keys`; undefined where absent. */
  getMany(keys: readonly Bytes[]): Promise<(Bytes | undefined)[]>;
  put(key: Bytes, value: Bytes): Promise<void>;
  delete(key: Bytes): Promise<void>;
  /**
   * Applies every write atomically: all or none. When `conditions` are given,
   * the batch commits only if each holds, and resolves to false otherwise
   * (nothing written).
   */
  batch(writes: readonly KvWrite[], conditions?: readonly KvCondition[]): Promise<boolean>;
  /** Entries with start <= key < end, ascending (or descending with `reverse`). */
  scan(options: ScanOptions): Promise<KvEntry[]>;
  /**
   * Sets `key` to `next` (or deletes it when `next` is null) only if its current
   * value equals `expected` (null: absent). Resolves to whether it swapped and
   * the value seen before.
   */
  compareAndSwap(
    key: Bytes,
    expected: Bytes | null,
    next: Bytes | null,
  ): Promise<{ swapped: boolean; previous: Bytes | undefined }>;
  close(): Promise<void>;
}

export const MAX_SCAN_LIMIT = 10240;
