/**
 * Reads of the inbox view (oldest first after a sequence), the per-device
 * delivery cursors, and the wake-ups the inbox projection announces.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/keys.ts';
import { token } from '../../streams/subjects.ts';
import { inboxEntry, inboxKeys, wakeSubject, type InboxEntry } from './schema.ts';

export interface InboxItem {
  readonly seq: number;
  readonly entry: InboxEntry;
}

/** The sequence in the last 8 bytes of an inbox key (big-endian, as stores/keys.ts writes it). */
function seqOfKey(k: Uint8Array): number {
  const b = Buffer.from(k.buffer, k.byteOffset, k.byteLength);
  return b.readUInt32BE(b.length - 8) * 2 ** 32 + b.readUInt32BE(b.length - 4);
}

export class InboxView {
  constructor(private readonly kv: KvStore) {}

  /** At most `limit` entries of the user with seq > afterSeq, oldest first. */
  async after(userId: string, afterSeq: number, limit: number): Promise<InboxItem[]> {
    const rows = await this.kv.scan({ start: inboxKeys.entry(userId, afterSeq + 1), end: prefixEnd(inboxKeys.of(userId)), limit });
    return rows.map((r) => ({ seq: seqOfKey(r.key), entry: inboxEntry.decode(r.value) }));
  }

  /** How far the stream has handed messages to the device (0: never). */
  async cursor(userId: string, deviceId: string): Promise<number> {
    const v = await this.kv.get(inboxKeys.cursor(userId, deviceId));
    return v === undefined ? 0 : Number(Buffer.from(v).toString('utf8')) || 0;
  }

  /** Moves the device's cursor forward to `seq` (never back, also against concurrent streams of the device). */
  async advanceCursor(userId: string, deviceId: string, seq: number): Promise<void> {
    const k = inboxKeys.cursor(userId, deviceId);
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = await this.kv.get(k);
      if (current !== undefined && Number(Buffer.from(current).toString('utf8')) >= seq) return;
      const { swapped } = await this.kv.compareAndSwap(k, current ?? null, Buffer.from(String(seq)));
      if (swapped) return;
    }
  }

  /** The furthest any device of the user has been handed messages (for DELIVERED). */
  async deliveredUpTo(userId: string): Promise<number> {
    const prefix = inboxKeys.cursorsOf(userId);
    const rows = await this.kv.scan({ start: prefix, end: prefixEnd(prefix), limit: 1000 });
    let max = 0;
    for (const r of rows) max = Math.max(max, Number(Buffer.from(r.value).toString('utf8')) || 0);
    return max;
  }
}

/**
 * One core-NATS subscription per user with open streams in this process,
 * shared by that user's streams (devices) and dropped with the last of them.
 */
export class InboxWakeups {
  private readonly byUser = new Map<string, { sub: Subscription; listeners: Set<(seq: number) => void> }>();

  constructor(private readonly nc: NatsConnection) {}

  /** Calls `listener` with the announced sequence whenever the user gets inbox entries; returns the unsubscribe. */
  listen(userId: string, listener: (seq: number) => void): () => void {
    let slot = this.byUser.get(userId);
    if (slot === undefined) {
      const listeners = new Set<(seq: number) => void>();
      const sub = this.nc.subscribe(wakeSubject(token(userId, 'user id')), {
        callback: (_err, msg) => {
          const seq = Number(msg?.string() ?? 0) || 0;
          for (const l of [...listeners]) l(seq);
        },
      });
      slot = { sub, listeners };
      this.byUser.set(userId, slot);
    }
    slot.listeners.add(listener);
    const mine = slot;
    return () => {
      mine.listeners.delete(listener);
      if (mine.listeners.size === 0 && this.byUser.get(userId) === mine) {
        this.byUser.delete(userId);
        mine.sub.unsubscribe();
      }
    };
  }
}
