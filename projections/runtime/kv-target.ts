/**
 * A projection target on the ordered key-value port. The transaction reads
 * through its own pending writes, so a projector can update a row twice in one
 * batch. Checkpoint and parked records live beside the view's keys.
 */
import { MAX_SCAN_LIMIT, type KvEntry, type KvStore, type KvWrite } from '../../stores/kv/port.ts';
import { childPrefix, compareBytes, key, prefixEnd } from '../../stores/kv/keys.ts';
import { FencedError, type JointPart, type ParkedCommit, type ProjectionTarget } from './projection.ts';
import { epochOf, fenceKey, redoFenceOf, redoPrefix, type RedoFence } from './kv-redo.ts';
import type { RecordCodec } from './view-codec.ts';
import { inFlightOf, type InFlightBatch, type InFlightWrites } from './in-flight.ts';

/** Node's Latin-1 decoder of a byte range, called on any Uint8Array (no Buffer view made per key). */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (start: number, end: number) => string })
  .latin1Slice;

/** A map key for bytes: one character a byte. */
const mapKey: (k: Uint8Array) => string =
  typeof latin1Slice === 'function'
    ? (k) => latin1Slice.call(k, 0, k.length)
    : (k) => Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('latin1');

/**
 * One pending change of a transaction: bytes (a put), null (a delete), or a record kept decoded
 * (putRecord): it is encoded once, when the transaction's writes are taken, however often the
 * batch read and changed it.
 */
interface Pending {
  readonly key: Uint8Array;
  bytes: Uint8Array | null | undefined;
  readonly record?: unknown;
  readonly codec?: RecordCodec<unknown>;
}

function bytesOf(p: Pending): Uint8Array | null {
  if (p.bytes === undefined) p.bytes = p.codec!.encode(p.record);
  return p.bytes;
}

export class KvTx {
  private readonly pending = new Map<string, Pending>();
  /** Records this transaction read and decoded from the store, by key (a batch reads a row once). */
  private readonly decoded = new Map<string, { readonly codec: RecordCodec<unknown>; readonly record: unknown }>();
  /** The store's writes not committed yet (the previous batch's, while it commits): read before the store. */
  private readonly flight: InFlightWrites<Uint8Array | null>;
  constructor(private readonly store: KvStore) {
    this.flight = inFlightOf<Uint8Array | null>(store);
  }

  /** The value at `k` behind this transaction's own changes: in flight to the store, or stored. */
  private async base(k: Uint8Array, mk: string): Promise<Uint8Array | undefined> {
    if (!this.flight.empty) {
      const v = this.flight.get(mk);
      if (v !== undefined) return v ?? undefined;
    }
    return this.store.get(k);
  }

  async get(k: Uint8Array): Promise<Uint8Array | undefined> {
    const mk = mapKey(k);
    const p = this.pending.get(mk);
    if (p) return bytesOf(p) ?? undefined;
    return this.base(k, mk);
  }

  /**
   * The record at `k` decoded with `codec`, as this transaction sees it. A record the
   * transaction put with putRecord, or already read with the same codec, is answered without
   * reading or decoding again (treat it as immutable: change a copy and put that).
   */
  async getRecord<A>(k: Uint8Array, codec: RecordCodec<A>): Promise<A | undefined> {
    const mk = mapKey(k);
    const p = this.pending.get(mk);
    if (p) {
      if (p.bytes === undefined && p.codec === codec) return p.record as A;
      const bytes = bytesOf(p);
      return bytes === null ? undefined : codec.decode(bytes);
    }
    const seen = this.decoded.get(mk);
    if (seen !== undefined && seen.codec === codec) return seen.record as A;
    const raw = await this.base(k, mk);
    if (raw === undefined) return undefined;
    const record = codec.decode(raw);
    this.decoded.set(mk, { codec: codec as RecordCodec<unknown>, record });
    return record;
  }

  async getJson<T>(k: Uint8Array): Promise<T | undefined> {
    const v = await this.get(k);
    return v === undefined ? undefined : (JSON.parse(Buffer.from(v).toString('utf8')) as T);
  }

  /**
   * Entries whose key starts with `prefix`, as this transaction sees them: the
   * store's rows overlaid with the pending puts and deletes, ascending. At most
   * `limit` rows are read from the store.
   */
  async scanPrefix(prefix: Uint8Array, limit = MAX_SCAN_LIMIT): Promise<KvEntry[]> {
    const rows = new Map<string, KvEntry>();
    for (const r of await this.store.scan({ start: prefix, end: prefixEnd(prefix), limit })) rows.set(mapKey(r.key), r);
    const start = mapKey(prefix);
    for (const [k, value] of this.flight.entries()) {
      if (!k.startsWith(start)) continue;
      if (value === null) rows.delete(k);
      else rows.set(k, { key: Buffer.from(k, 'latin1'), value });
    }
    for (const [k, p] of this.pending) {
      if (p.key.length < prefix.length || compareBytes(p.key.subarray(0, prefix.length), prefix) !== 0) continue;
      const value = bytesOf(p);
      if (value === null) rows.delete(k);
      else rows.set(k, { key: p.key, value });
    }
    return [...rows.values()].sort((a, b) => compareBytes(a.key, b.key));
  }

  /** This transaction's change of the key whose map key is `mk`: bytes, null (deleted), or undefined (unchanged). */
  peek(mk: string): Uint8Array | null | undefined {
    const p = this.pending.get(mk);
    return p === undefined ? undefined : bytesOf(p);
  }

  /** This transaction's changes by map key. */
  *changes(): IterableIterator<[string, Uint8Array | null]> {
    for (const [mk, p] of this.pending) yield [mk, bytesOf(p)];
  }

  put(k: Uint8Array, value: Uint8Array): void {
    this.pending.set(mapKey(k), { key: k, bytes: value });
  }

  /** Puts a record, kept decoded until the writes are taken (then encoded once with `codec`). */
  putRecord<A>(k: Uint8Array, codec: RecordCodec<A>, record: A): void {
    this.pending.set(mapKey(k), { key: k, bytes: undefined, record, codec: codec as RecordCodec<unknown> });
  }

  putJson(k: Uint8Array, value: unknown): void {
    this.put(k, Buffer.from(JSON.stringify(value)));
  }

  delete(k: Uint8Array): void {
    this.pending.set(mapKey(k), { key: k, bytes: null });
  }

  writes(): KvWrite[] {
    const out: KvWrite[] = [];
    for (const p of this.pending.values()) out.push({ key: p.key, value: bytesOf(p) });
    return out;
  }
}

/** The value of an index entry whose key says it all (one byte: TiKV refuses empty values). */
export const PRESENT = Uint8Array.of(1);

const checkpointKey = (name: string) => key('proj', name, 'checkpoint');
const parkedPrefix = (name: string) => childPrefix('proj', name, 'parked');
const epochBytes = (epoch: number) => Buffer.from(String(epoch));

/** One view's writes of a batch: its rows, its parked records, its checkpoint last. */
function partWrites(name: string, tx: KvTx, seq: number, parked: readonly ParkedCommit[]): KvWrite[] {
  const own: KvWrite[] = [...tx.writes()];
  for (const p of parked) own.push({ key: key('proj', name, 'parked', p.seq), value: Buffer.from(JSON.stringify(p)) });
  own.push({ key: checkpointKey(name), value: Buffer.from(String(seq)) });
  return own;
}

export class KvProjectionTarget implements ProjectionTarget<KvTx> {
  /** Fenced commits on a store that has no multi-key transaction (TiKV): docs/adr/0340. */
  private readonly redo: RedoFence | undefined;
  /** @param ownedPrefixes every key prefix the view writes (cleared on reset). */
  constructor(
    readonly store: KvStore,
    readonly ownedPrefixes: readonly Uint8Array[],
  ) {
    this.redo = store.versionedWrites === true ? redoFenceOf(store) : undefined;
  }

  async checkpoint(name: string): Promise<number> {
    const v = await this.store.get(checkpointKey(name));
    return v === undefined ? 0 : Number(Buffer.from(v).toString('utf8'));
  }

  begin(): KvTx {
    return new KvTx(this.store);
  }

  /** Views on the same key-value store commit together (one batch). */
  get jointKey(): KvStore {
    return this.store;
  }

  commit(name: string, tx: KvTx, seq: number, parked: readonly ParkedCommit[], fence?: number): Promise<void> {
    return this.commitJoint([{ name, tx, seq, parked }], fence);
  }

  async commitJoint(parts: readonly JointPart<KvTx>[], fence?: number): Promise<void> {
    await this.writeJoint(parts, fence);
    for (const p of parts) (p.target ?? this).afterCommit?.(p.tx, p.seq);
  }

  /** Nothing after a commit by default (ProjectionTarget.afterCommit). */
  afterCommit?(tx: KvTx, seq: number): void;

  private async writeJoint(parts: readonly JointPart<KvTx>[], fence?: number): Promise<void> {
    if (fence !== undefined && this.redo !== undefined) return this.commitRedo(this.redo, parts, fence);
    const writes: KvWrite[] = [];
    for (const { name, tx, seq, parked } of parts) {
      const own = partWrites(name, tx, seq, parked);
      // Under a lease every write also carries the stream position its view is current as of (the
      // batch's last sequence: it holds the effect of every commit up to there; docs/adr/0220).
      if (fence === undefined) writes.push(...own);
      else for (const w of own) writes.push({ ...w, version: seq });
    }
    if (fence === undefined) {
      // Listed in flight until committed: the next batch projects meanwhile, reading through the
      // views' transactions (their keys are apart; checkpoints and parked records are not read so).
      const txs = parts.map((p) => p.tx);
      const flight: InFlightBatch<Uint8Array | null> = {
        get(mk) {
          for (const tx of txs) {
            const v = tx.peek(mk);
            if (v !== undefined) return v;
          }
          return undefined;
        },
        *entries() {
          for (const tx of txs) yield* tx.changes();
        },
      };
      await inFlightOf<Uint8Array | null>(this.store).during(flight, () => this.store.batch(writes));
      return;
    }
    // The views' writes and checkpoints land only while this epoch still owns every checkpoint.
    const conditions = parts.map((p) => ({ key: fenceKey(p.name), expected: epochBytes(fence) }));
    if (!(await this.store.batch(writes, conditions))) throw new FencedError(parts.map((p) => p.name).join(','), fence);
  }

  /**
   * A fenced batch on a store without multi-key transactions (TiKV): it commits by one
   * compare-and-swap of each view's fence record naming the batch's redo, then its rows are
   * written, versioned; a new owner's claim replays the last committed batch (docs/adr/0340).
   */
  private async commitRedo(redo: RedoFence, parts: readonly JointPart<KvTx>[], fence: number): Promise<void> {
    const fenced = await redo.commit(
      parts.map(({ name, tx, seq, parked }) => ({ name, seq, writes: partWrites(name, tx, seq, parked) })),
      fence,
    );
    if (fenced.length > 0) throw new FencedError(fenced.join(','), fence);
  }

  async claim(name: string, epoch: number): Promise<number> {
    if (this.redo !== undefined) {
      // Takes the fence and replays the last committed batch before the checkpoint is read.
      if (!(await this.redo.claim(name, epoch))) throw new FencedError(name, epoch);
      return this.checkpoint(name);
    }
    for (;;) {
      const current = await this.store.get(fenceKey(name));
      const held = epochOf(name, current);
      if (held > epoch) throw new FencedError(name, epoch);
      if (held === epoch) break;
      // Compare-and-swap: a concurrent claim makes this round fail and read again.
      if ((await this.store.compareAndSwap(fenceKey(name), current ?? null, epochBytes(epoch))).swapped) break;
    }
    // No commit of an older epoch can land from here on: the checkpoint is stable.
    return this.checkpoint(name);
  }

  async reset(name: string): Promise<void> {
    // The redo of the last fenced batch too: replayed over a rebuilt view it would bring back old rows.
    for (const prefix of [...this.ownedPrefixes, childPrefix('proj', name), redoPrefix(name)]) {
      for (;;) {
        const rows = await this.store.scan({ start: prefix, end: prefixEnd(prefix), limit: 1000 });
        if (rows.length === 0) break;
        await this.store.batch(rows.map((r) => ({ key: r.key, value: null })));
      }
    }
  }

  async parked(name: string): Promise<ParkedCommit[]> {
    const prefix = parkedPrefix(name);
    const rows = await this.store.scan({ start: prefix, end: prefixEnd(prefix), limit: 10240 });
    return rows.map((r) => JSON.parse(Buffer.from(r.value).toString('utf8')) as ParkedCommit);
  }
}
