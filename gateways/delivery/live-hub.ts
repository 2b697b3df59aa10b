/**
 * Live delivery from the commit: one follower of the MESSAGES stream per
 * gateway process, and in memory the users with a device connected here. Each
 * commit is read and decoded once; its addressees are worked out with the
 * inbox's own rule (projections/inbox/addressing.ts) and each addressee's
 * listeners get it at once, in stream order, without waiting for any view.
 *
 * A message's FeedEvent is one object shared by all its recipients (the
 * transports serialize its frame once, keyed by that object).
 *
 * The hub also keeps the last RING_COMMITS addressed commits (at most
 * RING_BYTES of content): a device that connects or resumes just behind the
 * live position is caught up from memory, and only a longer gap is read from
 * the inbox and timeline views (device-feed.ts does the hand-over).
 *
 * While no device is connected here, the commits of 1:1 conversations are not
 * decoded at all (a gateway that serves only unary calls would otherwise
 * decode every message it sends): memory is emptied instead and starts again
 * past them, so a device that connects then catches up from the views. Group
 * commits are always decoded, as they keep the rosters current.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { CommitSource, CommitStream } from '../../streams/commit-follower.ts';
import type { StoredCommit } from '../../streams/envelope.ts';
import { CONVERSATION_SUBJECT_PREFIX } from '../../streams/subjects.ts';
import type { ConversationEvent } from '../../commands/conversation/decider.ts';
import type { GroupEvent } from '../../commands/group/decider.ts';
import { directAddressees, groupAddressee, receiptAddressees } from '../../projections/inbox/addressing.ts';
import type { InboxEntry } from '../../projections/inbox/schema.ts';
import { groupMessageRecord } from '../../projections/timeline/group-messages.ts';
import { tombstoneOf, type MessageRecord } from '../../projections/timeline/schema.ts';
import type { GroupRosters } from './group-rosters.ts';

export const RING_COMMITS = 4096;
export const RING_BYTES = 32 * 1024 * 1024;
const RETRY_MS = 1000;

export type LiveMessageEvent = {
  readonly kind: 'message';
  readonly seq: number;
  readonly record: MessageRecord;
  readonly status: 'DELIVERED' | 'SENT';
};
export type LiveReadEvent = {
  readonly kind: 'read';
  readonly seq: number;
  readonly receipt: { c: string; by: string; dev: string; ids: string[]; at: number };
};

/** One commit's delivery to one user: the message (with who of the user's devices get it) or a read receipt. */
export type LiveItem =
  | { readonly seq: number; readonly entry: InboxEntry; readonly event: LiveMessageEvent }
  | { readonly seq: number; readonly entry?: undefined; readonly event: LiveReadEvent };

/** Called with the items of one commit for the listened user, in stream order. */
export type LiveListener = (items: readonly LiveItem[]) => void;

interface Addressed {
  readonly seq: number;
  readonly byUser: Map<string, LiveItem[]>;
  readonly bytes: number;
}

export class LiveHub {
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private readonly ring: Addressed[] = [];
  private ringBytes = 0;
  private positionSeq = 0;
  /** Every addressed commit with seq > ringFrom is in the ring. */
  private ringFrom = 0;
  private stream: CommitStream | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly waiters = new Set<{ seq: number; resolve: () => void }>();

  private readonly ringCommits: number;
  private readonly ringMaxBytes: number;

  constructor(
    private readonly source: CommitSource,
    private readonly rosters: GroupRosters,
    private readonly logger: Logger,
    options: { readonly ringCommits?: number; readonly ringBytes?: number } = {},
  ) {
    this.ringCommits = options.ringCommits ?? RING_COMMITS;
    this.ringMaxBytes = options.ringBytes ?? RING_BYTES;
  }

  /** Starts following after the stream's current head. */
  async start(): Promise<void> {
    this.positionSeq = await this.source.head();
    this.ringFrom = this.positionSeq;
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.stream?.close();
    await this.running;
    for (const w of this.waiters) w.resolve();
  }

  /** The last stream sequence handed to the listeners. */
  get position(): number {
    return this.positionSeq;
  }

  /**
   * Listens for the user's items after `from` (the hub's position now: every
   * later commit reaches the listener, none at or before it does).
   */
  listen(userId: string, listener: LiveListener): { readonly from: number; stop(): void } {
    let set = this.listeners.get(userId);
    if (set === undefined) this.listeners.set(userId, (set = new Set()));
    set.add(listener);
    const mine = set;
    return {
      from: this.positionSeq,
      stop: () => {
        mine.delete(listener);
        if (mine.size === 0 && this.listeners.get(userId) === mine) this.listeners.delete(userId);
      },
    };
  }

  /** The user's items with after < seq <= upto from memory, or undefined when memory no longer reaches back to `after`. */
  recent(userId: string, after: number, upto: number): LiveItem[] | undefined {
    if (after < this.ringFrom) return undefined;
    const out: LiveItem[] = [];
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ring[mid]!.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.ring.length && this.ring[i]!.seq <= upto; i++) {
      const items = this.ring[i]!.byUser.get(userId);
      if (items !== undefined) out.push(...items);
    }
    return out;
  }

  /** Resolves true once the hub has passed `seq`, false after `ms`. */
  waitFor(seq: number, ms: number): Promise<boolean> {
    if (this.positionSeq >= seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w = {
        seq,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(w);
          resolve(this.positionSeq >= seq);
        },
      };
      const timer = setTimeout(w.resolve, ms);
      this.waiters.add(w);
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const stream = (this.stream = this.source.follow(this.positionSeq));
      try {
        for await (const followed of stream) {
          if (this.stopped) break;
          const seq = followed.seq;
          if (this.listeners.size === 0 && followed.subject.startsWith(CONVERSATION_SUBJECT_PREFIX))
            this.passUnread(seq);
          else {
            const commit = followed.commit;
            if (commit !== undefined) await this.dispatch(commit);
          }
          this.positionSeq = seq;
          if (this.waiters.size > 0) for (const w of [...this.waiters]) if (w.seq <= seq) w.resolve();
        }
      } catch (err) {
        if (this.stopped) break;
        this.logger.warn(
          { err: (err as Error).message, position: this.positionSeq },
          'live delivery follower failed: following again',
        );
      }
      await stream.close().catch(() => undefined);
      if (!this.stopped) await sleep(RETRY_MS);
    }
  }

  /**
   * A commit passed without reading it (nobody listens here): memory no longer holds every addressed
   * commit after ringFrom, so it is emptied and starts after this one.
   */
  private passUnread(seq: number): void {
    if (this.ring.length > 0) {
      this.ring.length = 0;
      this.ringBytes = 0;
    }
    this.ringFrom = seq;
  }

  /**
   * A message deleted for everyone (`userId` undefined: a tombstone in its place) or hidden from one
   * user (dropped for that user): memory must not hand its content out after the fact, as the
   * timeline view no longer does.
   */
  private forget(seq: number, messageId: string, userId: string | undefined): void {
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ring[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    const addressed = this.ring[lo];
    if (addressed === undefined || addressed.seq !== seq) return;
    if (userId !== undefined) {
      addressed.byUser.delete(userId);
      return;
    }
    const swapped = new Map<LiveMessageEvent, LiveMessageEvent>();
    for (const items of addressed.byUser.values()) {
      items.forEach((item, i) => {
        const event = item.event;
        if (event.kind !== 'message' || event.record.messageId !== messageId || item.entry === undefined) return;
        let dead = swapped.get(event);
        if (dead === undefined) swapped.set(event, (dead = { ...event, record: tombstoneOf(event.record) }));
        items[i] = { seq: item.seq, entry: item.entry, event: dead };
      });
    }
  }

  private async dispatch(commit: StoredCommit): Promise<void> {
    const seq = commit.seq;
    let byUser: Map<string, LiveItem[]> | undefined;
    let bytes = 0;
    const add = (userId: string, item: LiveItem) => {
      byUser ??= new Map();
      const items = byUser.get(userId);
      if (items === undefined) byUser.set(userId, [item]);
      else items.push(item);
    };
    for (const event of commit.events as readonly (ConversationEvent | GroupEvent)[]) {
      switch (event.type) {
        case 'MessageSent': {
          const record: MessageRecord = { ...event.data, seq, deleted: false };
          bytes += record.encryptedContent.byteLength;
          const toRecipient: LiveMessageEvent = { kind: 'message', seq, record, status: 'DELIVERED' };
          let sync: LiveMessageEvent | undefined;
          for (const to of directAddressees(event.data))
            add(to.userId, {
              seq,
              entry: to.entry,
              event: to.entry.sync ? (sync ??= { ...toRecipient, status: 'SENT' }) : toRecipient,
            });
          break;
        }
        case 'GroupMessageSent': {
          const d = event.data;
          const members = await this.rosters.membersAt(d.groupId, seq);
          const record = groupMessageRecord(d, seq);
          bytes += record.encryptedContent.byteLength;
          const toMember: LiveMessageEvent = { kind: 'message', seq, record, status: 'DELIVERED' };
          const sync: LiveMessageEvent = { ...toMember, status: 'SENT' };
          for (const member of members) {
            const to = groupAddressee(d, member);
            add(to.userId, { seq, entry: to.entry, event: to.entry.sync ? sync : toMember });
          }
          break;
        }
        case 'MessagesRead': {
          const d = event.data;
          const read: LiveReadEvent = {
            kind: 'read',
            seq,
            receipt: { c: d.conversationId, by: d.readerUserId, dev: d.readerDeviceId, ids: d.messageIds, at: d.at },
          };
          for (const userId of receiptAddressees(d)) add(userId, { seq, event: read });
          break;
        }
        case 'MessageDeleted':
        case 'GroupMessageDeleted':
          this.forget(event.data.messageSeq, event.data.messageId, undefined);
          break;
        case 'MessageHiddenForUser':
        case 'GroupMessageHidden':
          this.forget(event.data.messageSeq, event.data.messageId, event.data.userId);
          break;
        default:
          this.rosters.apply(event);
      }
    }
    if (byUser === undefined) return;
    const addressed = { seq, byUser, bytes: bytes + 256 };
    this.ring.push(addressed);
    this.ringBytes += addressed.bytes;
    while (this.ring.length > this.ringCommits || this.ringBytes > this.ringMaxBytes) {
      const dropped = this.ring.shift()!;
      this.ringBytes -= dropped.bytes;
      this.ringFrom = dropped.seq;
    }
    for (const [userId, items] of byUser) {
      const set = this.listeners.get(userId);
      if (set === undefined) continue;
      for (const listener of set) {
        try {
          listener(items);
        } catch (err) {
          this.logger.warn({ err: (err as Error).message }, 'a live delivery listener failed');
        }
      }
    }
  }
}
