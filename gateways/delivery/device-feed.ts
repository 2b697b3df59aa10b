/**
 * Per-device delivery, shared by every transport that hands a device its
 * events (gRPC ReceiveMessages, the WebSocket gateway): transport-neutral.
 *
 * A feed reads the inbox view (projections/inbox) of the device's user,
 * oldest first, after a start position, in pages of PAGE_SIZE; for every
 * message entry meant for this device it reads the message from the timeline
 * and hands it to the sink; with `receipts`, the user's read receipts are
 * merged in by seq. When it has caught up it sleeps until the inbox projection
 * announces new entries for the user (core NATS, so every gateway instance
 * hears it) or, as a fallback for a lost announcement, READ_INTERVAL_MS passes.
 *
 * The position is a MESSAGES stream sequence: a feed started after `seq`
 * delivers exactly what came after it, in order, once. The device's delivery
 * cursor (DELIVERED) follows the position, written at most every
 * CURSOR_WRITE_MS and when the feed ends. Memory per feed is one page; the
 * sink's `deliver` may return a promise to hold the feed until there is room.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { InboxView, InboxWakeups, type InboxItem, type ReceiptItem } from '../../projections/inbox/queries.ts';
import { isForDevice, type ReceiptEntry } from '../../projections/inbox/schema.ts';
import { publishDelivered } from '../../streams/delivery-receipts.ts';
import type { MessageRecord } from '../../projections/timeline/schema.ts';
import type { ProjectionProgress } from '../../projections/projection.ts';
import type { TimelineView } from '../../projections/timeline/queries.ts';
import type { KvStore } from '../../stores/kv/port.ts';

export const PAGE_SIZE = 100;
const READ_INTERVAL_MS = 1000;
const CURSOR_WRITE_MS = 1000;
/** How long a page waits for the timeline to hold rows the inbox already points at. */
const TIMELINE_WAIT_MS = 2000;
const RECENT_ROWS = 4096;
const RECENT_ROW_MS = 2000;

export type DeliveryStatusOfFeed = 'DELIVERED' | 'SENT';

export type FeedEvent =
  | { readonly kind: 'message'; readonly seq: number; readonly record: MessageRecord; readonly status: DeliveryStatusOfFeed }
  | { readonly kind: 'read'; readonly seq: number; readonly receipt: ReceiptEntry };

export interface FeedSink {
  /** Hands one event to the transport; a returned promise holds the feed until there is room. */
  deliver(event: FeedEvent): void | Promise<void>;
}

export interface DeviceFeedDeps {
  readonly kv: KvStore;
  readonly timeline: Pick<TimelineView, 'page'>;
  readonly nc: NatsConnection;
  readonly progressOf: (view: string) => ProjectionProgress | undefined;
  readonly logger: Logger;
}

export interface FollowOptions {
  readonly userId: string;
  readonly deviceId: string;
  /** Deliver what comes after this stream sequence. */
  readonly after: number;
  /** Merge the user's read receipts into the feed. */
  readonly receipts: boolean;
  readonly sink: FeedSink;
  readonly logger?: Logger;
  /** How long a caught-up feed sleeps without a wake-up before it reads anyway (a lost announcement); default 1000 ms. */
  readonly pollMs?: number;
}

export interface Feed {
  /** The seq of the last entry passed (delivered or not meant for this device). */
  readonly position: number;
  /** Settles when the feed has stopped (rejects on an infrastructure failure). */
  readonly done: Promise<void>;
  /** Stops the feed; `done` settles after the cursor is saved. */
  stop(): void;
}

/** Whether the user deleted the message for themselves only (the timeline's `hiddenFor`, when it keeps one). */
function hiddenFrom(record: MessageRecord, userId: string): boolean {
  const hidden = (record as { readonly hiddenFor?: readonly string[] }).hiddenFor;
  return hidden !== undefined && hidden.includes(userId);
}

type Entry = { readonly seq: number; readonly message: InboxItem } | { readonly seq: number; readonly receipt: ReceiptItem };

/** One page of messages and receipts merged by seq, cut where either page might continue. */
function merge(messages: InboxItem[], receipts: ReceiptItem[], limit: number): Entry[] {
  let upto = Number.POSITIVE_INFINITY;
  if (messages.length === limit) upto = messages[messages.length - 1]!.seq;
  if (receipts.length === limit) upto = Math.min(upto, receipts[receipts.length - 1]!.seq);
  const out: Entry[] = [];
  let i = 0;
  let j = 0;
  while (i < messages.length || j < receipts.length) {
    const m = messages[i];
    const r = receipts[j];
    const next: Entry = m !== undefined && (r === undefined || m.seq <= r.seq) ? { seq: m.seq, message: messages[i++]! } : { seq: r!.seq, receipt: receipts[j++]! };
    if (next.seq > upto) break;
    out.push(next);
  }
  return out;
}

export class DeviceDelivery {
  readonly inbox: InboxView;
  private readonly wakeups: InboxWakeups;
  /**
   * Recently read rows, shared by every feed of this gateway: a group message
   * is read once for all the members streaming here, not once per member. A row
   * is kept for a moment only, so a later tombstone or hide is seen as soon as
   * a live delivery could have raced it anyway.
   */
  private readonly recent = new Map<string, { at: number; row: Promise<MessageRecord | undefined> }>();

  constructor(private readonly deps: DeviceFeedDeps) {
    this.inbox = new InboxView(deps.kv);
    this.wakeups = new InboxWakeups(deps.nc);
  }

  /** The stored message at (partition, seq), or undefined when the timeline does not hold it. */
  private async readMessage(partition: string, seq: number): Promise<MessageRecord | undefined> {
    const page = await this.deps.timeline.page(partition, { limit: 1, before: seq + 1 });
    const m = page.messages[0];
    return m !== undefined && m.seq === seq ? m : undefined;
  }

  private messageAt(partition: string, seq: number): Promise<MessageRecord | undefined> {
    const k = `${partition}\u0000${seq}`;
    const now = Date.now();
    const hit = this.recent.get(k);
    if (hit !== undefined && now - hit.at < RECENT_ROW_MS) return hit.row;
    const row = this.readMessage(partition, seq);
    this.recent.delete(k);
    this.recent.set(k, { at: now, row });
    if (this.recent.size > RECENT_ROWS) this.recent.delete(this.recent.keys().next().value!);
    row.catch(() => this.recent.delete(k));
    return row;
  }

  /** The entries of a page the timeline already holds (it is another view; it may lag the inbox briefly). */
  private async readable(entries: Entry[]): Promise<Entry[]> {
    const progress = this.deps.progressOf('timeline');
    const last = entries[entries.length - 1];
    if (progress === undefined || last === undefined) return entries;
    if (await progress.waitFor(last.seq, TIMELINE_WAIT_MS)) return entries;
    const applied = await progress.applied();
    return entries.filter((e) => e.seq <= applied);
  }

  /** The device's delivery cursor: how far it has been handed messages. */
  cursor(userId: string, deviceId: string): Promise<number> {
    return this.inbox.cursor(userId, deviceId);
  }

  /** Starts a feed; it runs until `stop()` (or a failure, which rejects `done`). */
  follow(options: FollowOptions): Feed {
    const { userId, deviceId, sink } = options;
    const logger = options.logger ?? this.deps.logger;
    const inbox = this.inbox;
    let closed = false;
    let woken = false;
    let wake: (() => void) | undefined;
    const rouse = () => {
      woken = true;
      wake?.();
    };
    let position = options.after;
    let savedCursor = position;
    let lastCursorWrite = Date.now();
    const saveCursor = async () => {
      if (position <= savedCursor) return;
      const upto = position;
      await inbox.advanceCursor(userId, deviceId, upto);
      savedCursor = Math.max(savedCursor, upto);
      lastCursorWrite = Date.now();
    };
    const stopListening = this.wakeups.listen(userId, rouse);

    const inboxProgress = this.deps.progressOf('inbox');
    const run = async () => {
      try {
        while (!closed) {
          woken = false;
          // Entries up to what the inbox has applied are final. A partitioned inbox commits its
          // partitions apart: an entry above that may have a lower one of another partition still
          // to come, and handing it out first would move the cursor past that one.
          const final = inboxProgress === undefined ? Number.POSITIVE_INFINITY : await inboxProgress.applied();
          const [messages, receipts] = await Promise.all([
            inbox.after(userId, position, PAGE_SIZE),
            options.receipts ? inbox.receiptsAfter(userId, position, PAGE_SIZE) : Promise.resolve([]),
          ]);
          const merged = merge(messages, receipts, PAGE_SIZE);
          const page = merged.filter((e) => e.seq <= final);
          if (page.length === 0 && merged.length > 0) {
            // Wait for the lagging partitions (they may hold nothing for this user, so no wake-up comes).
            await inboxProgress!.waitFor(merged[0]!.seq, TIMELINE_WAIT_MS);
            continue;
          }
          const entries = page.length === 0 ? page : await this.readable(page);
          if (entries.length === 0) {
            if (Date.now() - lastCursorWrite >= CURSOR_WRITE_MS) await saveCursor();
            if (!woken && !closed) {
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, options.pollMs ?? READ_INTERVAL_MS);
                wake = () => {
                  clearTimeout(timer);
                  resolve();
                };
              });
              wake = undefined;
            }
            continue;
          }
          let recipientDelivered: Map<string, number> | undefined;
          // Delivery receipts for the senders of the 1:1 messages this page hands to this (recipient) device.
          const delivered = new Map<string, { senderUserId: string; conversationId: string; messageIds: string[] }>();
          for (const entry of entries) {
            if (closed) break;
            if ('receipt' in entry) {
              await sink.deliver({ kind: 'read', seq: entry.seq, receipt: entry.receipt.receipt });
            } else if (isForDevice(entry.message.entry, deviceId)) {
              const item = entry.message;
              const record = await this.messageAt(item.entry.p, item.seq);
              if (record === undefined) {
                logger.warn({ seq: item.seq }, 'inbox entry without a timeline row: skipped');
              } else if (hiddenFrom(record, userId)) {
                // deleted by this user for themselves only: none of their devices gets it again
              } else {
                let status: DeliveryStatusOfFeed = 'DELIVERED';
                if (item.entry.sync) {
                  recipientDelivered ??= new Map();
                  let upto = recipientDelivered.get(record.recipientUserId);
                  if (upto === undefined) recipientDelivered.set(record.recipientUserId, (upto = await inbox.deliveredUpTo(record.recipientUserId)));
                  status = upto >= item.seq ? 'DELIVERED' : 'SENT';
                }
                if (closed) break;
                await sink.deliver({ kind: 'message', seq: item.seq, record, status });
                if (!item.entry.sync && record.recipientUserId === userId && record.senderUserId !== userId) {
                  const k = `${record.senderUserId}\u0000${record.conversationId}`;
                  const d = delivered.get(k) ?? { senderUserId: record.senderUserId, conversationId: record.conversationId, messageIds: [] };
                  d.messageIds.push(record.messageId);
                  delivered.set(k, d);
                }
              }
            }
            position = entry.seq;
          }
          const at = Date.now();
          for (const d of delivered.values()) publishDelivered(this.deps.nc, { ...d, recipientUserId: userId, recipientDeviceId: deviceId, at });
          if (Date.now() - lastCursorWrite >= CURSOR_WRITE_MS) await saveCursor();
        }
      } finally {
        closed = true;
        stopListening();
        await saveCursor().catch((err: Error) => logger.warn({ err: err.message }, 'could not save the delivery cursor'));
      }
    };
    const done = run();
    done.catch(() => undefined);
    return {
      get position() {
        return position;
      },
      done,
      stop: () => {
        closed = true;
        rouse();
      },
    };
  }
}
