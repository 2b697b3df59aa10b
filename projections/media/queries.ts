/** Reads of the media and attachments views. */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import type { MediaRecord } from '../../commands/media/decider.ts';
import {
  attachmentKeys,
  attachmentRecord,
  mediaKeys as keys,
  mediaRecord,
  usageRecord,
  type AttachmentRecord,
  type ListOrder,
  type ListScope,
  type Usage,
} from './schema.ts';

export interface MediaListPage {
  readonly items: MediaRecord[];
  /** Pass back to read on; undefined at the end. */
  readonly next: Uint8Array | undefined;
}

export class MediaView {
  constructor(private readonly kv: KvStore) {}

  async record(mediaId: string): Promise<MediaRecord | undefined> {
    const raw = await this.kv.get(keys.record(mediaId));
    return raw ? mediaRecord.decode(raw) : undefined;
  }

  async usage(userId: string): Promise<Usage> {
    const raw = await this.kv.get(keys.usage(userId));
    return raw ? usageRecord.decode(raw) : { bytes: 0, count: 0 };
  }

  async attachment(mediaId: string): Promise<AttachmentRecord | undefined> {
    const raw = await this.kv.get(attachmentKeys.attachment(mediaId));
    return raw ? attachmentRecord.decode(raw) : undefined;
  }

  /**
   * One page of a list, in key order (ascending) or reverse, starting after
   * the key `after`; records failing `keep` are skipped (at most `scanBudget`
   * keys are read for one page).
   */
  async list(
    scope: ListScope,
    id: string,
    order: ListOrder,
    options: {
      limit: number;
      ascending: boolean;
      after?: Uint8Array;
      keep: (r: MediaRecord) => boolean;
      scanBudget?: number;
    },
  ): Promise<MediaListPage> {
    const prefix = keys.listOf(scope, id, order);
    const items: MediaRecord[] = [];
    let start = prefix;
    let end = prefixEnd(prefix);
    if (options.after !== undefined) {
      if (options.ascending) start = Buffer.concat([options.after, Buffer.of(0)]);
      else end = options.after;
    }
    let budget = options.scanBudget ?? 5000;
    let last: Uint8Array | undefined;
    for (;;) {
      const rows = await this.kv.scan({ start, end, limit: Math.min(256, budget), reverse: !options.ascending });
      if (rows.length === 0) return { items, next: undefined };
      const records = await this.kv.getMany(rows.map((r) => keys.record(mediaIdOfListKey(r.key))));
      for (let i = 0; i < rows.length; i++) {
        last = rows[i]!.key;
        const raw = records[i];
        if (raw) {
          const r = mediaRecord.decode(raw);
          if (options.keep(r)) items.push(r);
        }
        if (items.length === options.limit)
          return { items, next: await this.hasAfter(prefix, last, options.ascending) };
      }
      budget -= rows.length;
      if (budget <= 0) return { items, next: last };
      if (options.ascending) start = Buffer.concat([last!, Buffer.of(0)]);
      else end = last!;
    }
  }

  private async hasAfter(prefix: Uint8Array, last: Uint8Array, ascending: boolean): Promise<Uint8Array | undefined> {
    const rows = ascending
      ? await this.kv.scan({ start: Buffer.concat([last, Buffer.of(0)]), end: prefixEnd(prefix), limit: 1 })
      : await this.kv.scan({ start: prefix, end: last, limit: 1, reverse: true });
    return rows.length > 0 ? last : undefined;
  }

  /** How many entries a list has (keys only), counting no further than `cap`. */
  async count(scope: ListScope, id: string, cap = 10_000): Promise<number> {
    const prefix = keys.listOf(scope, id, 'created');
    const rows = await this.kv.scan({ start: prefix, end: prefixEnd(prefix), limit: cap });
    return rows.length;
  }

  /** Live media created before `before` (oldest first), for the cleanup. */
  async sweepCandidates(before: number, limit: number): Promise<{ mediaId: string; createdAt: number }[]> {
    const prefix = keys.sweepAll();
    const rows = await this.kv.scan({ start: prefix, end: keys.sweep(before, ''), limit });
    return rows.map((r) => {
      const tail = Buffer.from(r.key.subarray(prefix.length));
      return { createdAt: Number(tail.readBigUInt64BE(0)), mediaId: tail.subarray(9).toString('utf8') };
    });
  }
}

/** The media id at the end of a list key (after the last 0x00 separator). */
function mediaIdOfListKey(k: Uint8Array): string {
  const i = Buffer.from(k).lastIndexOf(0);
  return Buffer.from(k.subarray(i + 1)).toString('utf8');
}
