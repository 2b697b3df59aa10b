/**
 * Per-device delivery, shared by every transport that hands a device its
 * events (gRPC ReceiveMessages, the WebSocket gateway): transport-neutral.
 *
 * Live from the commit: with a LiveHub (live-hub.ts: one follower of the
 * MESSAGES stream per gateway process), a feed gets the device's new messages
 * and read receipts as soon as this process reads their commit, in stream
 * order, without waiting for any view. The views serve the backlog only.
 *
 * The hand-over is by stream sequence. When the feed starts, it registers with
 * the hub and learns the hub's position `target`: every later commit reaches
 * the feed live (queued here), none before it does. The feed first hands out
 * what lies between its start position and `target`: from the hub's memory of
 * recent commits when that reaches back far enough, else from the inbox view
 * (oldest first, pages of PAGE_SIZE, each message read from the timeline view)
 * up to what the inbox has applied; then the queued live items. Every item
 * carries its seq and a feed never hands out a seq at or below its position,
 * so each message reaches each device once, in order, across reconnects and
 * resumes. A device whose live queue grows past LIVE_QUEUE items (it does not
 * read) drops the queue and catches up from memory or the views again.
 *
 * Without a hub (tests, tools), the feed reads the inbox only, woken by the
 * inbox projection's announcements (streams/inbox-wakeups.ts) or every READ_INTERVAL_MS.
 *
 * The position is a MESSAGES stream sequence: a feed started after `seq`
 * delivers exactly what came after it, in order, once. The device's delivery
 * cursor (DELIVERED) follows the position, written at most every
 * CURSOR_WRITE_MS and when the feed ends. The sink's `deliver` may return a
 * promise to hold the feed until there is room.
 */
import type { Logger } from 'pino';
import type { InboxItem, InboxView, ReceiptItem } from '../../projections/inbox/queries.ts';
import { InboxWakeups } from '../../streams/inbox-wakeups.ts';
import type { Signals } from '../../streams/signals.ts';
import { isForDevice, type ReceiptEntry } from '../../projections/inbox/schema.ts';
import { DeliveredBatcher } from './delivered-batcher.ts';
import type { MessageRecord } from '../../projections/timeline/schema.ts';
import type { ProjectionProgress } from '../../projections/query/progress.ts';
import type { TimelineView } from '../../projections/timeline/queries.ts';
import type { LiveHub, LiveItem } from './live-hub.ts';

export const PAGE_SIZE = 100;
const READ_INTERVAL_MS = 1000;
const CURSOR_WRITE_MS = 1000;
/** How long a page waits for the timeline to hold rows the inbox already points at. */
const TIMELINE_WAIT_MS = 2000;
const RECENT_ROWS = 4096;
const RECENT_ROW_MS = 2000;
/** Live items a feed queues while its device is not reading; beyond, it catches up from memory or the views. */
export const LIVE_QUEUE = 1024;

export type DeliveryStatusOfFeed = 'DELIVERED' | 'SENT';

export type FeedEvent =
  | {
      readonly kind: 'message';
      readonly seq: number;
      readonly record: MessageRecord;
      readonly status: DeliveryStatusOfFeed;
    }
  | { readonly kind: 'read'; readonly seq: number; readonly receipt: ReceiptEntry };

export interface FeedSink {
  /** Hands one event to the transport; a returned promise holds the feed until there is room. */
  deliver(event: FeedEvent): void | Promise<void>;
}

export interface DeviceFeedDeps {
  /** The inbox view: the backlog of a device, its cursor, what its user has been delivered. */
  readonly inbox: InboxView;
  readonly timeline: Pick<TimelineView, 'page'>;
  /** Core-NATS signals: inbox wake-ups in, delivery receipts out. */
  readonly signals: Signals;
  readonly progressOf: (view: string) => ProjectionProgress | undefined;
  readonly logger: Logger;
  /** Live delivery from the commit (none: the views serve everything). */
  readonly live?: LiveHub;
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
  /** Live items queued while the sink holds the feed before it catches up from memory or the views instead (LIVE_QUEUE). */
  readonly liveQueue?: number;
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

/** An item ready to hand out: a live item, or one read from the views; `skip` only moves the position. */
type Ready = LiveItem | { readonly seq: number; readonly skip: true };

type Entry =
  | { readonly seq: number; readonly message: InboxItem }
  | { readonly seq: number; readonly receipt: ReceiptItem };

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
    const next: Entry =
      m !== undefined && (r === undefined || m.seq <= r.seq)
        ? { seq: m.seq, message: messages[i++]! }
        : { seq: r!.seq, receipt: receipts[j++]! };
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

  /** Delivery receipts of every feed here, gathered for a moment (one NATS write for many hand-outs). */
  private readonly delivered: DeliveredBatcher;

  constructor(private readonly deps: DeviceFeedDeps) {
    this.inbox = deps.inbox;
    this.wakeups = new InboxWakeups(deps.signals);
    this.delivered = new DeliveredBatcher(deps.signals);
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
    const live = this.deps.live;
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
    // Live: everything after `target` comes from the commit (queued here); the backlog up to it from the views.
    // Without a live hub the views serve everything (target: never reached).
    let target = Number.POSITIVE_INFINITY;
    let queue: LiveItem[] = [];
    let stopLive: (() => void) | undefined;
    if (live !== undefined) {
      const listening = live.listen(userId, (items) => {
        if (closed) return;
        for (const item of items) if (item.event.kind === 'message' || options.receipts) queue.push(item);
        if (queue.length > (options.liveQueue ?? LIVE_QUEUE)) {
          // A device this far behind catches up from memory or the views instead.
          target = Math.max(target, items[items.length - 1]!.seq);
          queue = [];
        }
        rouse();
      });
      stopLive = listening.stop;
      target = listening.from;
    }
    const stopListening = this.wakeups.listen(userId, rouse);
    const inboxProgress = this.deps.progressOf('inbox');

    const sleep = async (ms: number) => {
      if (woken || closed) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    };

    /** Hands out ready items in order (those not for this device are passed over). */
    const handOut = async (items: readonly Ready[]) => {
      // Delivery receipts for the senders of the 1:1 messages handed to this (recipient) device.
      const delivered = new Map<string, { senderUserId: string; conversationId: string; messageIds: string[] }>();
      for (const item of items) {
        if (closed) break;
        if (item.seq <= position) continue;
        if ('skip' in item) {
          // nothing for the device
        } else if (item.event.kind === 'read') {
          await sink.deliver(item.event);
        } else if (item.entry !== undefined && isForDevice(item.entry, deviceId)) {
          const record = item.event.record;
          if (closed) break;
          await sink.deliver(item.event);
          if (!item.entry.sync && record.recipientUserId === userId && record.senderUserId !== userId) {
            const k = `${record.senderUserId}\u0000${record.conversationId}`;
            const d = delivered.get(k) ?? {
              senderUserId: record.senderUserId,
              conversationId: record.conversationId,
              messageIds: [],
            };
            d.messageIds.push(record.messageId);
            delivered.set(k, d);
          }
        }
        position = item.seq;
      }
      const at = Date.now();
      for (const d of delivered.values())
        this.delivered.add({ ...d, recipientUserId: userId, recipientDeviceId: deviceId, at });
    };

    /** One step of the backlog (position < target): from memory when it reaches back, else a page of the views. */
    const backlogStep = async (): Promise<void> => {
      const upto = target;
      const fromMemory = live?.recent(userId, position, upto);
      if (fromMemory !== undefined) {
        await handOut(fromMemory.filter((i) => i.event.kind === 'message' || options.receipts));
        if (!closed) position = Math.max(position, upto);
        return;
      }
      // Entries up to what the inbox has applied are final. A partitioned inbox commits its
      // partitions apart: an entry above that may have a lower one of another partition still
      // to come, and handing it out first would move the cursor past that one.
      const applied = inboxProgress === undefined ? Number.POSITIVE_INFINITY : await inboxProgress.applied();
      const final = Math.min(applied, upto);
      const [messages, receipts] = await Promise.all([
        inbox.after(userId, position, PAGE_SIZE),
        options.receipts ? inbox.receiptsAfter(userId, position, PAGE_SIZE) : Promise.resolve([]),
      ]);
      const full = messages.length === PAGE_SIZE || receipts.length === PAGE_SIZE;
      const merged = merge(messages, receipts, PAGE_SIZE);
      const page = merged.filter((e) => e.seq <= final);
      const entries = page.length === 0 ? page : await this.readable(page);
      const before = position;
      if (entries.length > 0) await handOut(await this.ready(entries, userId, logger));
      if (closed) return;
      // Everything of the user up to `final` was in this page: the views hold nothing more below it.
      const whole = entries.length === page.length && (!full || merged.some((e) => e.seq > final));
      if (whole && Number.isFinite(final) && final > position) position = final;
      if (position > before) return;
      if (Date.now() - lastCursorWrite >= CURSOR_WRITE_MS) await saveCursor();
      // Nothing yet: the inbox (or one of its partitions, or the timeline) lags. Wait for it, or for a wake-up.
      if (merged.length > 0 && page.length === 0 && inboxProgress !== undefined)
        await inboxProgress.waitFor(merged[0]!.seq, TIMELINE_WAIT_MS);
      else if (inboxProgress !== undefined && Number.isFinite(upto) && applied < upto)
        await Promise.race([
          inboxProgress.waitFor(upto, options.pollMs ?? READ_INTERVAL_MS),
          sleep(options.pollMs ?? READ_INTERVAL_MS),
        ]);
      else await sleep(options.pollMs ?? READ_INTERVAL_MS);
    };

    const run = async () => {
      try {
        while (!closed) {
          woken = false;
          if (position < target) {
            await backlogStep();
            continue;
          }
          if (queue.length > 0) {
            const items = queue;
            queue = [];
            await handOut(items);
            if (Date.now() - lastCursorWrite >= CURSOR_WRITE_MS) await saveCursor();
            continue;
          }
          if (Date.now() - lastCursorWrite >= CURSOR_WRITE_MS) await saveCursor();
          await sleep(options.pollMs ?? READ_INTERVAL_MS);
        }
      } finally {
        closed = true;
        stopListening();
        stopLive?.();
        await saveCursor().catch((err: Error) =>
          logger.warn({ err: err.message }, 'could not save the delivery cursor'),
        );
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

  /** Inbox entries as ready items: each message read from the timeline (hidden ones and missing rows left out). */
  private async ready(entries: readonly Entry[], userId: string, logger: Logger): Promise<Ready[]> {
    let recipientDelivered: Map<string, number> | undefined;
    const out: Ready[] = [];
    for (const entry of entries) {
      if ('receipt' in entry) {
        out.push({ seq: entry.seq, event: { kind: 'read', seq: entry.seq, receipt: entry.receipt.receipt } });
        continue;
      }
      const item = entry.message;
      const record = await this.messageAt(item.entry.p, item.seq);
      if (record === undefined) {
        logger.warn({ seq: item.seq }, 'inbox entry without a timeline row: skipped');
      } else if (!hiddenFrom(record, userId)) {
        // (deleted by this user for themselves only: none of their devices gets it again)
        let status: DeliveryStatusOfFeed = 'DELIVERED';
        if (item.entry.sync) {
          recipientDelivered ??= new Map();
          let upto = recipientDelivered.get(record.recipientUserId);
          if (upto === undefined)
            recipientDelivered.set(
              record.recipientUserId,
              (upto = await this.inbox.deliveredUpTo(record.recipientUserId)),
            );
          status = upto >= item.seq ? 'DELIVERED' : 'SENT';
        }
        out.push({ seq: item.seq, entry: item.entry, event: { kind: 'message', seq: item.seq, record, status } });
        continue;
      }
      // Passed over (hidden, or no row), but passed: the position moves on.
      out.push({ seq: item.seq, skip: true });
    }
    return out;
  }
}
