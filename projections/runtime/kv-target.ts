/**
 * A projection target on the ordered key-value port. The transaction reads
 * through its own pending writes, so a projector can update a row twice in one
 * batch. Checkpoint and parked records live beside the view's keys.
 */
import { MAX_SCAN_LIMIT, type KvEntry, type KvStore, type KvWrite } from '../../stores/kv/port.ts';
import { childPrefix, compareBytes, key, prefixEnd } from '../../stores/kv/keys.ts';
import { FencedError, type JointPart, type ParkedCommit, type ProjectionTarget } from './projection.ts';
import { epochOf, fenceKey, redoFenceOf, redoPrefix, type RedoFence } from './kv-redo.ts';

/** A map key for bytes (a view, not a copy, of the key is read). */
const mapKey = (k: Uint8Array): string => Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('latin1');

export class KvTx {
  private readonly pending = new Map<string, KvWrite>();
  constructor(private readonly store: KvStore) {}

  async get(k: Uint8Array): Promise<Uint8Array | undefined> {
    const w = this.pending.get(mapKey(k));
    if (w) return w.value ?? undefined;
    return this.store.get(k);
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
    for (const [k, w] of this.pending) {
      if (w.key.length < prefix.length || compareBytes(w.key.subarray(0, prefix.length), prefix) !== 0) continue;
      if (w.value === null) rows.delete(k);
      else rows.set(k, { key: w.key, value: w.value });
    }
    return [...rows.values()].sort((a, b) => compareBytes(a.key, b.key));
  }

  put(k: Uint8Array, value: Uint8Array): void {
    this.pending.set(mapKey(k), { key: k, value });
  }

  putJson(k: Uint8Array, value: unknown): void {
    this.put(k, Buffer.from(JSON.stringify(value)));
  }

  delete(k: Uint8Array): void {
    this.pending.set(mapKey(k), { key: k, value: null });
  }

  writes(): KvWrite[] {
    return [...this.pending.values()];
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
      await this.store.batch(writes);
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
