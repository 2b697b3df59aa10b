/**
 * Reads of the inbox view (oldest first after a sequence) and the per-device
 * delivery cursors. (The wake-ups the inbox projection announces are signals:
 * streams/inbox-wakeups.ts.)
 */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import { inboxEntry, inboxKeys, receiptEntry, type InboxEntry, type ReceiptEntry } from './schema.ts';

export interface InboxItem {
  readonly seq: number;
  readonly entry: InboxEntry;
}

export interface ReceiptItem {
  readonly seq: number;
  readonly receipt: ReceiptEntry;
}

/** The sequence in the last 8 bytes of an inbox key (big-endian, as stores/kv/keys.ts writes it). */
function seqOfKey(k: Uint8Array): number {
  const b = Buffer.from(k.buffer, k.byteOffset, k.byteLength);
  return b.readUInt32BE(b.length - 8) * 2 ** 32 + b.readUInt32BE(b.length - 4);
}

export class InboxView {
  constructor(private readonly kv: KvStore) {}

  /** At most `limit` entries of the user with seq > afterSeq, oldest first. */
  async after(userId: string, afterSeq: number, limit: number): Promise<InboxItem[]> {
    const rows = await this.kv.scan({
      start: inboxKeys.entry(userId, afterSeq + 1),
      end: prefixEnd(inboxKeys.of(userId)),
      limit,
    });
    return rows.map((r) => ({ seq: seqOfKey(r.key), entry: inboxEntry.decode(r.value) }));
  }

  /** At most `limit` read receipts for the user with seq > afterSeq, oldest first. */
  async receiptsAfter(userId: string, afterSeq: number, limit: number): Promise<ReceiptItem[]> {
    const rows = await this.kv.scan({
      start: inboxKeys.receipt(userId, afterSeq + 1),
      end: prefixEnd(inboxKeys.receiptsOf(userId)),
      limit,
    });
    return rows.map((r) => ({ seq: seqOfKey(r.key), receipt: receiptEntry.decode(r.value) }));
  }

  /** How many entries (messages and receipts) the user has after `afterSeq`, counting at most `upTo`. */
  async countAfter(userId: string, afterSeq: number, upTo: number): Promise<number> {
    const [messages, receipts] = await Promise.all([
      this.kv.scan({ start: inboxKeys.entry(userId, afterSeq + 1), end: prefixEnd(inboxKeys.of(userId)), limit: upTo }),
      this.kv.scan({
        start: inboxKeys.receipt(userId, afterSeq + 1),
        end: prefixEnd(inboxKeys.receiptsOf(userId)),
        limit: upTo,
      }),
    ]);
    return Math.min(upTo, messages.length + receipts.length);
  }

  /** The newest seq of any entry (message or receipt) of the user, 0 when none. */
  async head(userId: string): Promise<number> {
    const [m, r] = await Promise.all([
      this.kv.scan({ start: inboxKeys.of(userId), end: prefixEnd(inboxKeys.of(userId)), limit: 1, reverse: true }),
      this.kv.scan({
        start: inboxKeys.receiptsOf(userId),
        end: prefixEnd(inboxKeys.receiptsOf(userId)),
        limit: 1,
        reverse: true,
      }),
    ]);
    return Math.max(m[0] ? seqOfKey(m[0].key) : 0, r[0] ? seqOfKey(r[0].key) : 0);
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
