/** Reads of the presence view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import { presenceKeys as keys, presenceRecord, type PresenceRecord } from './schema.ts';

export class PresenceView {
  constructor(private readonly kv: KvStore) {}

  async get(userId: string): Promise<PresenceRecord | undefined> {
    const raw = await this.kv.get(keys.user(userId));
    return raw ? presenceRecord.decode(raw) : undefined;
  }

  /** Records in the order of `userIds`; undefined for users without presence yet. */
  async getMany(userIds: readonly string[]): Promise<(PresenceRecord | undefined)[]> {
    if (userIds.length === 0) return [];
    const raws = await this.kv.getMany(userIds.map((id) => keys.user(id)));
    return raws.map((raw) => (raw ? presenceRecord.decode(raw) : undefined));
  }

  /** Users whose record says a device is present (ONLINE or AWAY), in id order, after `afterUserId`. */
  async present(limit: number, afterUserId?: string): Promise<string[]> {
    const prefix = keys.liveOf();
    const start = afterUserId === undefined ? prefix : Buffer.concat([keys.live(afterUserId), Buffer.of(0)]);
    const rows = await this.kv.scan({ start, end: prefixEnd(prefix), limit });
    return rows.map((r) =>
      Buffer.from(r.key.buffer, r.key.byteOffset + prefix.length, r.key.byteLength - prefix.length).toString('utf8'),
    );
  }
}
