/** Reads of the timeline view: newest first, by opaque cursor. */
import type { TimelineStore } from '../../stores/timeline/port.ts';
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
