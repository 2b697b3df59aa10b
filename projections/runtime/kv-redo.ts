/**
 * Fenced commits on a key-value store without multi-key transactions (TiKV RawKV): a redo record
 * makes one compare-and-swap the commit point of a batch (docs/adr/0340).
 *
 * A view's fence record (`fence\0<view>`) holds the owner epoch and, once the owner has committed
 * a batch there, where that batch's redo lies: `<epoch>` or `<epoch>:<writer epoch>:<seq>:<chunks>`.
 * A fenced batch of a view is written in three steps:
 *
 * 1. its writes (view rows, parked records, the checkpoint last) go, whole, into redo chunks
 *    under `fence\0<view>\0redo\0<writer epoch><seq><i>` (invisible to every reader until step 2;
 *    the previous batch's chunks are deleted in the same store batch);
 * 2. the commit point: one compare-and-swap of the fence record from exactly what this owner
 *    holds to a record naming the chunks. It fails once a newer owner has claimed (the claim
 *    swapped the record), and the batch is then dropped whole (FencedError): no row of it exists;
 * 3. the writes themselves, versioned with `seq` (KvWrite.version), checkpoint last.
 *
 * A claim swaps the owner epoch into the record (keeping the redo pointer) and then applies the
 * redo it names before it reads the checkpoint. So every row a new owner reads holds the state as
 * of the checkpoint it resumes from, never a row of a batch ahead of it: a row is written only
 * after its batch's commit point, and the last committed batch is replayed, whole, by the claim.
 * Replaying is idempotent (the same values at the same version), and a stale owner's late row
 * write at that version changes nothing or loses to a newer version.
 *
 * The chunks of a batch are deleted only by a later commit of the view (which starts after the
 * batch was fully written, or after a claim replayed it) or by a reset of the view (before a
 * rebuild, workers stopped); missing chunks therefore mean "nothing to replay".
 * A claim also deletes older owners' chunks no record names (batches whose commit point failed
 * or never came).
 */
import { childPrefix, key } from '../../stores/kv/keys.ts';
import type { Bytes, KvStore, KvWrite } from '../../stores/kv/port.ts';

/** Redo bytes per chunk: well under TiKV's raft entry limit (8 MiB), and a few chunks per large batch. */
export const REDO_CHUNK_BYTES = 512 * 1024;

/** Chunks read per round of a claim's sweep (each up to REDO_CHUNK_BYTES). */
const SWEEP_ROWS = 16;

/** Where a committed batch's redo lies. */
export interface RedoPointer {
  /** The epoch of the owner that wrote the chunks (part of their keys). */
  readonly writer: number;
  /** The batch's checkpoint: every write of the batch carries it as its version. */
  readonly seq: number;
  readonly chunks: number;
}

/** A view's fence record: who may write, and the redo of the last committed batch. */
export interface FenceRecord {
  readonly epoch: number;
  readonly redo?: RedoPointer;
}

/**
 * The owner epoch of a checkpoint. It lives outside the view's `proj` records: it
 * says who may write, not what the view holds (a rebuild into a fresh store has none).
 */
export const fenceKey = (name: string) => key('fence', name);
/** The redo chunks of a view (a reset deletes them: a claim then has no batch to replay). */
export const redoPrefix = (name: string) => childPrefix('fence', name, 'redo');
const chunkKey = (name: string, p: RedoPointer, i: number) => key('fence', name, 'redo', p.writer, p.seq, i);

const NUMBER = /^(0|[1-9][0-9]{0,15})$/;

export function encodeFence(record: FenceRecord): Bytes {
  const { epoch, redo } = record;
  return Buffer.from(redo === undefined ? String(epoch) : `${epoch}:${redo.writer}:${redo.seq}:${redo.chunks}`);
}

/** Throws naming the view when the record is not one this code writes (nothing is changed then). */
export function decodeFence(name: string, bytes: Bytes): FenceRecord {
  const text = Buffer.from(bytes).toString('utf8');
  const parts = text.split(':');
  const numbers = parts.map(Number);
  if (
    (parts.length !== 1 && parts.length !== 4) ||
    !parts.every((p) => NUMBER.test(p)) ||
    numbers.some((n) => !Number.isSafeInteger(n))
  )
    throw new Error(`the fence record of view ${name} is not an owner epoch: ${JSON.stringify(text.slice(0, 64))}`);
  const [epoch, writer, seq, chunks] = numbers as [number, number, number, number];
  return parts.length === 1 ? { epoch } : { epoch, redo: { writer, seq, chunks } };
}

/** The epoch a fence record holds (0: none). */
export const epochOf = (name: string, bytes: Bytes | undefined): number =>
  bytes === undefined ? 0 : decodeFence(name, bytes).epoch;

/** Writes as redo chunks: per write its key length, key, 1 (put) or 0 (delete), value length, value. */
export function encodeRedo(writes: readonly KvWrite[], chunkBytes = REDO_CHUNK_BYTES): Bytes[] {
  const chunks: Bytes[] = [];
  let parts: Buffer[] = [];
  let size = 0;
  for (const w of writes) {
    const head = Buffer.alloc(9);
    head.writeUInt32BE(w.key.length, 0);
    head[4] = w.value === null ? 0 : 1;
    head.writeUInt32BE(w.value?.length ?? 0, 5);
    const entry = [
      head.subarray(0, 4),
      Buffer.from(w.key),
      head.subarray(4),
      ...(w.value === null ? [] : [Buffer.from(w.value)]),
    ];
    const bytes = 9 + w.key.length + (w.value?.length ?? 0);
    if (size > 0 && size + bytes > chunkBytes) {
      chunks.push(Buffer.concat(parts));
      parts = [];
      size = 0;
    }
    parts.push(...entry);
    size += bytes;
  }
  if (size > 0 || chunks.length === 0) chunks.push(Buffer.concat(parts));
  return chunks;
}

export function decodeRedo(chunk: Bytes): { key: Bytes; value: Bytes | null }[] {
  const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const out: { key: Bytes; value: Bytes | null }[] = [];
  let at = 0;
  while (at < b.length) {
    if (at + 9 > b.length) throw new Error('a redo chunk ends inside an entry');
    const keyLength = b.readUInt32BE(at);
    const k = b.subarray(at + 4, at + 4 + keyLength);
    const put = b[at + 4 + keyLength] === 1;
    const valueLength = b.readUInt32BE(at + 5 + keyLength);
    const start = at + 9 + keyLength;
    if (start + valueLength > b.length) throw new Error('a redo chunk ends inside an entry');
    out.push({ key: new Uint8Array(k), value: put ? new Uint8Array(b.subarray(start, start + valueLength)) : null });
    at = start + valueLength;
  }
  return out;
}

/** One view's part of a fenced batch: its writes (checkpoint last) and the version they carry. */
export interface RedoPart {
  readonly name: string;
  readonly writes: readonly KvWrite[];
  readonly seq: number;
}

const fences = new WeakMap<KvStore, RedoFence>();

/** The fenced commits on `store`: one per store, shared by the targets of its views (they commit jointly). */
export function redoFenceOf(store: KvStore): RedoFence {
  let fence = fences.get(store);
  if (fence === undefined) {
    fence = new RedoFence(store);
    fences.set(store, fence);
  }
  return fence;
}

/**
 * The fenced commits on one key-value store: remembers, per view and epoch, the fence record
 * this owner holds (the `expected` of its next commit point).
 */
export class RedoFence {
  private readonly held = new Map<string, Bytes>();
  constructor(private readonly store: KvStore) {}

  private slot(name: string, epoch: number): string {
    return `${epoch}\u0000${name}`;
  }

  /** The record this owner holds for `name`, read from the store when not known here. */
  private async holding(name: string, epoch: number): Promise<Bytes | undefined> {
    const known = this.held.get(this.slot(name, epoch));
    if (known !== undefined) return known;
    const current = await this.store.get(fenceKey(name));
    return current !== undefined && epochOf(name, current) === epoch ? current : undefined;
  }

  /** Steps 1 to 3 of the module comment for the parts of one batch; the names of the views fenced off. */
  async commit(parts: readonly RedoPart[], epoch: number): Promise<string[]> {
    const staged = await Promise.all(
      parts.map(async (part) => {
        const expected = await this.holding(part.name, epoch);
        const previous = expected === undefined ? undefined : decodeFence(part.name, expected).redo;
        const chunks = encodeRedo(part.writes);
        const pointer: RedoPointer = { writer: epoch, seq: part.seq, chunks: chunks.length };
        return { part, expected, previous, chunks, pointer, next: encodeFence({ epoch, redo: pointer }) };
      }),
    );
    const fenced = staged.filter((s) => s.expected === undefined).map((s) => s.part.name);
    const live = staged.filter((s) => s.expected !== undefined);
    if (live.length === 0) return fenced;
    const stage: KvWrite[] = [];
    for (const s of live) {
      const { previous } = s;
      // The previous batch was written whole before this one started (or replayed by the claim).
      if (previous !== undefined && !(previous.writer === epoch && previous.seq === s.part.seq))
        for (let i = 0; i < previous.chunks; i++) stage.push({ key: chunkKey(s.part.name, previous, i), value: null });
      for (const [i, c] of s.chunks.entries()) stage.push({ key: chunkKey(s.part.name, s.pointer, i), value: c });
    }
    await this.store.batch(stage);
    const landed = await Promise.all(live.map((s) => this.swap(s.part.name, epoch, s.expected!, s.next)));
    const committed = live.filter((s, i) => {
      if (landed[i]) this.held.set(this.slot(s.part.name, epoch), s.next);
      else {
        this.held.delete(this.slot(s.part.name, epoch));
        fenced.push(s.part.name);
      }
      return landed[i];
    });
    await this.store.batch(committed.flatMap((s) => s.part.writes.map((w) => ({ ...w, version: s.part.seq }))));
    return fenced;
  }

  /** The commit point: whether the fence record now names this batch. */
  private async swap(name: string, epoch: number, expected: Bytes, next: Bytes): Promise<boolean> {
    for (let current = expected; ; ) {
      const { swapped, previous } = await this.store.compareAndSwap(fenceKey(name), current, next);
      if (swapped) return true;
      if (previous === undefined) return false;
      // A retry after a lost answer finds its own record: that commit point had landed.
      if (Buffer.compare(previous, next) === 0) return true;
      // Still this epoch (this owner's own earlier commit, recorded elsewhere): swap from it.
      if (Buffer.compare(previous, current) === 0 || epochOf(name, previous) !== epoch) return false;
      current = previous;
    }
  }

  /**
   * Takes the fence record for `epoch` (keeping its redo pointer), replays the redo it names and
   * deletes the chunks it does not name. False when a newer epoch holds it.
   */
  async claim(name: string, epoch: number): Promise<boolean> {
    let record: FenceRecord | undefined;
    for (;;) {
      const current = await this.store.get(fenceKey(name));
      record = current === undefined ? undefined : decodeFence(name, current);
      const held = record?.epoch ?? 0;
      if (held > epoch) return false;
      if (held === epoch) {
        this.held.set(this.slot(name, epoch), current!);
        break;
      }
      const next = encodeFence({ epoch, ...(record?.redo === undefined ? {} : { redo: record.redo }) });
      // Compare-and-swap: a concurrent claim or commit makes this round fail and read again.
      if ((await this.store.compareAndSwap(fenceKey(name), current ?? null, next)).swapped) {
        this.held.set(this.slot(name, epoch), next);
        break;
      }
    }
    for (const [slot] of this.held)
      if (slot.endsWith(`\u0000${name}`) && slot !== this.slot(name, epoch)) this.held.delete(slot);
    const redo = record?.redo;
    if (redo !== undefined) await this.replay(name, redo);
    await this.sweep(name, epoch, redo);
    return true;
  }

  /** Writes a committed batch's redo again (idempotent: the same values at the same version). */
  private async replay(name: string, redo: RedoPointer): Promise<void> {
    const keys = Array.from({ length: redo.chunks }, (_, i) => chunkKey(name, redo, i));
    const chunks = await this.store.getMany(keys);
    // A missing chunk was deleted by a later commit, which started after this batch was written whole.
    if (chunks.some((c) => c === undefined)) return;
    const writes = chunks.flatMap((c) => decodeRedo(c!)).map((w) => ({ ...w, version: redo.seq }));
    await this.store.batch(writes);
  }

  /**
   * Deletes the redo chunks of older owners' batches that never committed (their owner lost the
   * fence or died before its commit point), all but `keep`. Chunks of this epoch or a newer one
   * are left alone: a newer owner may be writing them while this claim is still sweeping.
   */
  private async sweep(name: string, epoch: number, keep: RedoPointer | undefined): Promise<void> {
    const end = key('fence', name, 'redo', epoch);
    const kept = new Set(
      keep === undefined
        ? []
        : Array.from({ length: keep.chunks }, (_, i) => Buffer.from(chunkKey(name, keep, i)).toString('hex')),
    );
    let start = redoPrefix(name);
    for (;;) {
      const rows = await this.store.scan({ start, end, limit: SWEEP_ROWS });
      const stale = rows.filter((r) => !kept.has(Buffer.from(r.key).toString('hex')));
      if (stale.length > 0) await this.store.batch(stale.map((r) => ({ key: r.key, value: null })));
      if (rows.length < SWEEP_ROWS) return;
      start = Buffer.concat([rows[rows.length - 1]!.key, Buffer.of(0)]);
    }
  }
}
