/** Reads of the timeline view: newest first, by opaque cursor. */
import { MAX_PAGE_LIMIT, type TimelineStore } from '../../stores/timeline/port.ts';
import { messageRecord, type MessageRecord } from './schema.ts';

export interface MessagePage {
  readonly messages: MessageRecord[];
  /** Pass back as `before` for the next (older) page; absent on the last page. */
  readonly next?: number;
}

export interface PageQuery {
  readonly limit: number;
  readonly before?: number;
  readonly fromTime?: number;
  readonly toTime?: number;
}

export class TimelineView {
  constructor(private readonly store: TimelineStore) {}

  async page(conversationId: string, query: PageQuery): Promise<MessagePage> {
    const page = await this.store.page(conversationId, query);
    const messages = page.rows.map((r) => messageRecord.decode(r.value));
    return page.next === undefined ? { messages } : { messages, next: page.next };
  }

  /**
   * A page of what one user sees of a 1:1 conversation, newest first: rows the
   * user hid are skipped, and nothing at or below the user's `clearedUpto` is
   * read at all (the history before a ClearChat). Tombstones stay in place.
   * `skip` visible rows are passed over first (legacy page numbers). Reads one
   * visible row ahead, so `next` is set exactly when another page exists.
   */
  async visiblePage(
    conversationId: string,
    viewer: Viewer,
    query: PageQuery & { readonly skip?: number },
  ): Promise<MessagePage> {
    const want = query.limit + 1;
    const out: MessageRecord[] = [];
    let skip = query.skip ?? 0;
    let before = query.before;
    for (;;) {
      const limit = Math.min(MAX_PAGE_LIMIT, skip + want - out.length);
      const page = await this.store.page(conversationId, {
        limit,
        ...(before === undefined ? {} : { before }),
        ...(query.fromTime === undefined ? {} : { fromTime: query.fromTime }),
        ...(query.toTime === undefined ? {} : { toTime: query.toTime }),
      });
      let done = page.next === undefined;
      for (const row of page.rows) {
        if (row.position <= viewer.clearedUpto) {
          done = true;
          break;
        }
        const m = messageRecord.decode(row.value);
        if (m.hiddenFor?.includes(viewer.userId)) continue;
        if (skip > 0) {
          skip--;
          continue;
        }
        out.push(m);
        if (out.length >= want) break;
      }
      if (done || out.length >= want) break;
      before = page.next;
    }
    const messages = out.slice(0, query.limit);
    return out.length > query.limit ? { messages, next: messages[messages.length - 1]!.seq } : { messages };
  }
}

/** Whose view of a conversation is read: skips what the user hid or cleared. */
export interface Viewer {
  readonly userId: string;
  /** Stream sequence up to which the user cleared the history (0: never). */
  readonly clearedUpto: number;
}

/** Cursors are opaque to clients: a version tag and the position, base64url. */
export const cursor = {
  encode: (position: number): string => Buffer.from(`v1:${position}`).toString('base64url'),
  decode: (text: string): number | undefined => {
    const m = /^v1:(\d{1,16})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
    const n = m ? Number(m[1]) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  },
};
