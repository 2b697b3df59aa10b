/** Reads of the call history view (projections/calls/schema.ts). */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import type { CallRecord } from '../../commands/call/decider.ts';
import { callKeys as keys, callRecord } from './schema.ts';

export interface CallHistoryPage {
  readonly calls: readonly CallRecord[];
  /** Where the next (older) page starts; undefined on the last page. */
  readonly next: Uint8Array | undefined;
}

export class CallsView {
  constructor(private readonly kv: KvStore) {}

  async call(callId: string): Promise<CallRecord | undefined> {
    const raw = await this.kv.get(keys.record(callId));
    return raw ? callRecord.decode(raw) : undefined;
  }

  /** The user's calls, newest first, `limit` of them, older than the index key `before` when given. */
  async history(userId: string, limit: number, before?: Uint8Array): Promise<CallHistoryPage> {
    const prefix = keys.userPrefix(userId);
    const rows = await this.kv.scan({
      start: prefix,
      end: before ?? prefixEnd(prefix),
      limit: limit + 1,
      reverse: true,
    });
    const page = rows.slice(0, limit);
    const records = await this.kv.getMany(
      page.map((r) => keys.record(Buffer.from(r.key.subarray(prefix.length + 9)).toString('utf8'))),
    );
    const calls = records.flatMap((raw) => (raw ? [callRecord.decode(raw)] : []));
    return { calls, next: rows.length > limit ? page[page.length - 1]!.key : undefined };
  }

  /** Calls still ringing by the view (for the sweep of calls whose starter died ringing), at most `limit`. */
  async ringing(limit: number): Promise<{ callId: string; ringUntil: number }[]> {
    const prefix = keys.ringingAll();
    const rows = await this.kv.scan({ start: prefix, end: prefixEnd(prefix), limit });
    return rows.map((r) => ({
      callId: Buffer.from(r.key.subarray(prefix.length)).toString('utf8'),
      ringUntil: Number(Buffer.from(r.value).toString('utf8')),
    }));
  }

  /** Whether `key` is an index key of this user's history (a cursor given back by a client). */
  isHistoryKey(userId: string, key: Uint8Array): boolean {
    const prefix = keys.userPrefix(userId);
    return key.length > prefix.length && Buffer.from(key.subarray(0, prefix.length)).equals(Buffer.from(prefix));
  }
}
