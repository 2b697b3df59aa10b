/**
 * The ordered key-value port over TiKV RawKV.
 *
 * - get/getMany/put/delete/scan map onto RawGet/RawBatchGet/RawPut/RawDelete/RawScan
 *   (scans cross region boundaries in the client).
 * - compareAndSwap is TiKV's RawCompareAndSwap: linearizable on the server, so safe
 *   across processes. The client runs in atomic mode: every write sends for_cas.
 * - batch: RawKV has no multi-key transaction. A batch whose only write and only
 *   condition are the same key is one RawCompareAndSwap. Otherwise the puts
 *   (RawBatchPut) and the deletes (RawBatchDelete) are sent per region; a batch with
 *   conditions first reads them (RawBatchGet), and such batches are serialised
 *   within this process. A reader may see a batch half applied
 *   and a crash may leave it half applied; views keep one writer (their projector),
 *   which re-applies the batch idempotently on replay. See docs/adr/0051-tikv-key-value-adapter.md.
 * - Values are stored behind a one-byte header: 0x00 then the value (TiKV's raw storage
 *   cannot tell an empty value from an absent key, the port can), or the tombstone 0x01.
 *   RawCompareAndSwap cannot delete, so a compare-and-swap to null writes a tombstone;
 *   reads and scans treat it as absent, and a swap that expects absence accepts
 *   either an absent key or a tombstone (one server-side swap each, so still atomic).
 *   Plain deletes remove the key.
 * - Versioned writes (`KvWrite.version`, partitioned projections): the value is stored as
 *   0x02, the version (8 bytes, big-endian), then the value; a versioned delete as 0x03 and
 *   the version (read as absent). Each lands through a RawCompareAndSwap loop on the key's
 *   stored bytes: read (one RawBatchGet for the batch), stop if the stored version is the
 *   same or higher, else swap against exactly the bytes read; a failed swap returns what is
 *   there now and the loop decides again. TiKV's swap is atomic per key, so whatever the
 *   order in which two writers' swaps arrive, the key ends at the highest version: a stale
 *   owner's late write can never replace a newer row, nor a checkpoint move backwards.
 */
import {
  MAX_SCAN_LIMIT,
  type Bytes,
  type KvCondition,
  type KvEntry,
  type KvStore,
  type KvWrite,
  type ScanOptions,
} from '../port.ts';
import { RawKvClient, type RawKvOptions } from './rawkv.ts';
import { inParallel } from '../../../runtime/parallel.ts';

/** TiKV's default limit on a raw key (storage.max-key-size, 8 KiB). */
export const TIKV_MAX_KEY_BYTES = 8192;

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

function requireBytes(value: unknown, field: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${field} must be a Uint8Array, got ${describe(value)}`);
}

function requireKey(key: unknown, field = 'key'): asserts key is Uint8Array {
  requireBytes(key, field);
  if (key.length === 0) throw new RangeError(`${field} must not be empty`);
  if (key.length > TIKV_MAX_KEY_BYTES)
    throw new RangeError(`${field} is ${key.length} bytes; TiKV accepts at most ${TIKV_MAX_KEY_BYTES}`);
}

function requireNullable(value: unknown, field: string): asserts value is Uint8Array | null {
  if (value !== null) requireBytes(value, field);
}

/** A private copy as a plain Uint8Array (the caller may reuse its buffers). */
const own = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);
const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const same = (a: Uint8Array | undefined, b: Uint8Array | null): boolean =>
  b === null ? a === undefined : a !== undefined && Buffer.compare(a, b) === 0;

/** The value header: format version 0. */
const VALUE_HEADER = 0x00;
/** A value as stored: header, then the bytes (a private copy). */
function encode(value: Uint8Array): Uint8Array {
  const out = new Uint8Array(value.length + 1);
  out[0] = VALUE_HEADER;
  out.set(value, 1);
  return out;
}
/** What a compare-and-swap to null leaves: read as absent. */
const TOMBSTONE = Uint8Array.of(0x01);
const isTombstone = (stored: Uint8Array | undefined): boolean =>
  stored !== undefined && stored.length === 1 && stored[0] === TOMBSTONE[0];
/** A stored value back to the port's bytes; undefined for an empty (absent) one or a tombstone. */
function decode(stored: Buffer | undefined): Uint8Array | undefined {
  if (stored === undefined || stored.length === 0 || isTombstone(stored)) return undefined;
  if (stored[0] === VERSIONED_DELETE) return undefined;
  if (stored[0] === VERSIONED) return new Uint8Array(stored.subarray(1 + VERSION_BYTES));
  if (stored[0] !== VALUE_HEADER) throw new Error(`a TiKV value has an unknown header byte ${stored[0]}`);
  return new Uint8Array(stored.subarray(1));
}

/** A versioned value: header, version, value. */
const VERSIONED = 0x02;
/** A versioned delete: header, version (read as absent). */
const VERSIONED_DELETE = 0x03;
const VERSION_BYTES = 8;

function encodeVersioned(version: number, value: Uint8Array | null): Uint8Array {
  const out = Buffer.alloc(1 + VERSION_BYTES + (value?.length ?? 0));
  out[0] = value === null ? VERSIONED_DELETE : VERSIONED;
  out.writeBigUInt64BE(BigInt(version), 1);
  if (value !== null) out.set(value, 1 + VERSION_BYTES);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** The version of a stored value; -1 for an absent key or a value written without a version. */
function storedVersion(stored: Uint8Array | undefined): number {
  if (
    stored === undefined ||
    stored.length < 1 + VERSION_BYTES ||
    (stored[0] !== VERSIONED && stored[0] !== VERSIONED_DELETE)
  )
    return -1;
  return Number(Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).readBigUInt64BE(1));
}

function requireVersion(version: unknown, field: string): void {
  if (version !== undefined && (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)) {
    throw new RangeError(`${field} must be a non-negative safe integer, got ${String(version)}`);
  }
}

/** Versioned writes of one batch in flight at once. */
const VERSIONED_CONCURRENCY = 32;

/** How often a swap that expects absence retries when the key flips between absent and tombstone. */
const ABSENT_SWAP_ATTEMPTS = 100;

export class TikvKvStore implements KvStore {
  readonly versionedWrites = true;
  private closed = false;
  /** Serialises conditional batches within this process (see the module comment). */
  private batches: Promise<unknown> = Promise.resolve();

  private constructor(readonly client: RawKvClient) {}

  static async connect(options: RawKvOptions): Promise<TikvKvStore> {
    return new TikvKvStore(await RawKvClient.connect({ ...options, atomic: true }));
  }

  private open(): void {
    if (this.closed) throw new Error('the TiKV key-value store is closed');
  }

  async get(key: Bytes): Promise<Bytes | undefined> {
    this.open();
    requireKey(key);
    return decode(await this.client.get(key));
  }

  async getMany(keys: readonly Bytes[]): Promise<(Bytes | undefined)[]> {
    this.open();
    if (!Array.isArray(keys)) throw new TypeError(`keys must be an array, got ${describe(keys)}`);
    keys.forEach((k, i) => requireKey(k, `keys[${i}]`));
    const found = await this.client.batchGet(keys);
    return keys.map((k) => decode(found.get(hex(k))));
  }

  async put(key: Bytes, value: Bytes): Promise<void> {
    this.open();
    requireKey(key);
    requireBytes(value, 'value');
    await this.client.put(own(key), encode(value));
  }

  async delete(key: Bytes): Promise<void> {
    this.open();
    requireKey(key);
    await this.client.delete(own(key));
  }

  async batch(writes: readonly KvWrite[], conditions: readonly KvCondition[] = []): Promise<boolean> {
    this.open();
    if (!Array.isArray(writes)) throw new TypeError(`writes must be an array, got ${describe(writes)}`);
    if (!Array.isArray(conditions)) throw new TypeError(`conditions must be an array, got ${describe(conditions)}`);
    writes.forEach((w, i) => {
      requireKey(w?.key, `writes[${i}].key`);
      requireNullable(w.value, `writes[${i}].value`);
      requireVersion(w.version, `writes[${i}].version`);
    });
    conditions.forEach((c, i) => {
      requireKey(c?.key, `conditions[${i}].key`);
      requireNullable(c.expected, `conditions[${i}].expected`);
    });
    // Last write of a key wins, as in one transaction.
    const last = new Map<string, { key: Uint8Array; value: Uint8Array | null; version?: number }>();
    for (const w of writes) {
      last.delete(hex(w.key)); // the key's last write keeps its place in the order
      last.set(
        hex(w.key),
        w.version === undefined
          ? { key: own(w.key), value: w.value === null ? null : encode(w.value) }
          : { key: own(w.key), value: encodeVersioned(w.version, w.value), version: w.version },
      );
    }
    const ownWrites = [...last.values()];
    const ownConditions = conditions.map((c) => ({
      key: own(c.key),
      expected: c.expected === null ? null : encode(c.expected),
    }));

    if (
      ownWrites.length === 1 &&
      ownConditions.length === 1 &&
      ownWrites[0]!.version === undefined &&
      hex(ownWrites[0]!.key) === hex(ownConditions[0]!.key)
    ) {
      const [w, c] = [ownWrites[0]!, ownConditions[0]!];
      return (await this.swap(w.key, c.expected, w.value ?? TOMBSTONE)).swapped;
    }
    // Order: deletes, then puts, and the batch's last write (a projection's checkpoint) with the
    // last of them, so a reader that sees the last write sees the whole batch (each key is written
    // once: the last write of a key won above).
    const apply = async (): Promise<boolean> => {
      if (ownWrites.some((w) => w.version !== undefined)) return this.applyVersioned(ownWrites);
      const puts = ownWrites.filter((w): w is { key: Uint8Array; value: Uint8Array } => w.value !== null);
      const deletes = ownWrites.filter((w) => w.value === null).map((w) => w.key);
      const last = ownWrites[ownWrites.length - 1];
      if (last === undefined) return true;
      if (last.value === null) {
        await this.client.batchPut(puts);
        await this.client.batchDelete(deletes.slice(0, -1));
        await this.client.batchDelete([last.key]);
        return true;
      }
      await this.client.batchDelete(deletes);
      const lastRegion = (await this.client.regions.locate(last.key)).region.id;
      const regions = await Promise.all(puts.map(async (w) => (await this.client.regions.locate(w.key)).region.id));
      await this.client.batchPut(puts.filter((_, i) => regions[i] !== lastRegion));
      await this.client.batchPut(puts.filter((_, i) => regions[i] === lastRegion));
      return true;
    };
    // Unconditional batches need no queue: nothing is checked before they write.
    if (ownConditions.length === 0) return apply();
    const run = this.batches.then(async () => {
      const current = await this.client.batchGet(ownConditions.map((c) => c.key));
      if (
        !ownConditions.every((c) =>
          same(decode(current.get(hex(c.key))), c.expected === null ? null : c.expected.subarray(1)),
        )
      )
        return false;
      return apply();
    });
    this.batches = run.catch(() => undefined);
    return run;
  }

  /**
   * A batch holding versioned writes: the plain writes first, then the versioned ones (each a
   * compare-and-swap loop, in parallel), and the batch's last write (a projection's checkpoint)
   * after all of them, so a reader that sees the checkpoint sees the rows.
   */
  private async applyVersioned(
    writes: readonly { key: Uint8Array; value: Uint8Array | null; version?: number }[],
  ): Promise<boolean> {
    const lastWrite = writes[writes.length - 1]!;
    const rest = writes.slice(0, -1);
    const plain = rest.filter((w) => w.version === undefined);
    await this.client.batchDelete(plain.filter((w) => w.value === null).map((w) => w.key));
    await this.client.batchPut(plain.filter((w): w is { key: Uint8Array; value: Uint8Array } => w.value !== null));
    const versioned = rest.filter(
      (w): w is { key: Uint8Array; value: Uint8Array; version: number } => w.version !== undefined,
    );
    const seen = await this.client.batchGet(versioned.map((w) => w.key));
    await inParallel(versioned, VERSIONED_CONCURRENCY, (w) =>
      this.putVersioned(w.key, w.value, w.version, seen.get(hex(w.key))),
    );
    if (lastWrite.version !== undefined)
      await this.putVersioned(lastWrite.key, lastWrite.value!, lastWrite.version, await this.client.get(lastWrite.key));
    else if (lastWrite.value === null) await this.client.batchDelete([lastWrite.key]);
    else await this.client.batchPut([{ key: lastWrite.key, value: lastWrite.value }]);
    return true;
  }

  /** Stores `stored` (an encoded versioned value) unless the key holds `version` or a higher one. */
  private async putVersioned(
    key: Uint8Array,
    stored: Uint8Array,
    version: number,
    seen: Uint8Array | undefined,
  ): Promise<void> {
    let current = seen;
    for (;;) {
      if (storedVersion(current) >= version) return;
      const result = await this.client.compareAndSwap(key, current === undefined ? null : current, stored);
      if (result.swapped) return;
      current = result.previous;
    }
  }

  async scan(options: ScanOptions): Promise<KvEntry[]> {
    this.open();
    requireBytes(options?.start, 'scan start');
    // An empty end would mean "no key" by the port's rule but "unbounded" to TiKV: refused on every adapter.
    requireKey(options.end, 'scan end');
    const { limit } = options;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SCAN_LIMIT) {
      throw new RangeError(`scan limit must be an integer from 1 to ${MAX_SCAN_LIMIT}, got ${String(limit)}`);
    }
    if (options.reverse !== undefined && typeof options.reverse !== 'boolean')
      throw new TypeError(`scan reverse must be a boolean, got ${describe(options.reverse)}`);
    if (Buffer.compare(options.start, options.end) >= 0) return [];
    // Tombstones are skipped; scan on until the limit is met or the range is exhausted.
    const out: KvEntry[] = [];
    let [start, end] = [own(options.start), own(options.end)];
    while (out.length < limit) {
      const want = limit - out.length;
      const pairs = options.reverse
        ? await this.client.reverseScan(start, end, want)
        : await this.client.scan(start, end, want);
      for (const p of pairs) {
        const value = decode(p.value);
        if (value !== undefined) out.push({ key: new Uint8Array(p.key), value });
      }
      const lastPair = pairs[pairs.length - 1];
      if (pairs.length < want || lastPair === undefined) break;
      if (options.reverse) end = new Uint8Array(lastPair.key);
      else start = new Uint8Array(Buffer.concat([lastPair.key, Buffer.of(0)]));
    }
    return out;
  }

  /** One compare-and-swap of stored forms (expected: stored form, or null for absent or tombstone). */
  private async swap(
    key: Uint8Array,
    expected: Uint8Array | null,
    next: Uint8Array,
  ): Promise<{ swapped: boolean; previous: Bytes | undefined }> {
    if (expected !== null) {
      const result = await this.client.compareAndSwap(key, expected, next);
      return { swapped: result.swapped, previous: decode(result.previous) };
    }
    for (let attempt = 0; attempt < ABSENT_SWAP_ATTEMPTS; attempt++) {
      const absent = await this.client.compareAndSwap(key, null, next);
      if (absent.swapped) return { swapped: true, previous: undefined };
      if (!isTombstone(absent.previous)) return { swapped: false, previous: decode(absent.previous) };
      const tombstone = await this.client.compareAndSwap(key, TOMBSTONE, next);
      if (tombstone.swapped) return { swapped: true, previous: undefined };
      if (tombstone.previous !== undefined && !isTombstone(tombstone.previous))
        return { swapped: false, previous: decode(tombstone.previous) };
    }
    throw new Error('compareAndSwap: the key kept changing between absent and deleted');
  }

  async compareAndSwap(
    key: Bytes,
    expected: Bytes | null,
    next: Bytes | null,
  ): Promise<{ swapped: boolean; previous: Bytes | undefined }> {
    this.open();
    requireKey(key);
    requireNullable(expected, 'expected');
    requireNullable(next, 'next');
    return this.swap(own(key), expected === null ? null : encode(expected), next === null ? TOMBSTONE : encode(next));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.batches;
    this.client.close();
  }
}
