/**
 * Aggregate snapshots: the state of a long subject as of one of its commits,
 * kept in the key-value store so that a process touching the subject for the
 * first time replays only the commits after it.
 *
 * A snapshot is a cache, never the truth: it names the commit it was taken at
 * (sequence and hash), and the handler uses it only when that commit is still
 * on the subject with that hash; otherwise it replays from the start. Losing
 * every snapshot costs time, nothing else.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';

const StoredSnapshot = t.type({ seq: t.number, hash: t.string, version: t.number, state: t.unknown });
export type AggregateSnapshot = t.TypeOf<typeof StoredSnapshot>;

export interface SnapshotStore {
  get(subject: string): Promise<AggregateSnapshot | undefined>;
  put(subject: string, snapshot: AggregateSnapshot): Promise<void>;
}

/** The key-value store's get and put, as the snapshots use them (bin/ passes the store). */
export interface SnapshotKv {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  put(key: Uint8Array, value: Uint8Array): Promise<void>;
}

/**
 * Snapshots in the key-value store, one value per subject under the key
 * `keyOf(subject)` (bin/ passes the tuple key `snapshot/<subject>`).
 */
export class KvSnapshotStore implements SnapshotStore {
  constructor(
    private readonly kv: SnapshotKv,
    private readonly keyOf: (subject: string) => Uint8Array,
  ) {}

  async get(subject: string): Promise<AggregateSnapshot | undefined> {
    const raw = await this.kv.get(this.keyOf(subject));
    if (raw === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch {
      return undefined;
    }
    const decoded = StoredSnapshot.decode(json);
    return isLeft(decoded) ? undefined : decoded.right;
  }

  async put(subject: string, snapshot: AggregateSnapshot): Promise<void> {
    await this.kv.put(this.keyOf(subject), Buffer.from(JSON.stringify(snapshot)));
  }
}
