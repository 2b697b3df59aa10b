/**
 * MessagingService.ReceiveMessages: the calling device's message stream.
 *
 * The stream reads the inbox view (projections/inbox) of the caller's user,
 * oldest first, from its start position, in pages of PAGE_SIZE; for every entry
 * meant for this device it reads the message from the timeline and writes it.
 * When it has caught up it sleeps until the inbox projection announces new
 * entries for the user (core NATS, so every gateway instance hears it) or, as
 * a fallback for a lost announcement, READ_INTERVAL_MS passes.
 *
 * Start position (see docs/DECISIONS.md, "ReceiveMessages"):
 * - `after_seq` > 0: exactly after it (a reconnecting client passes the `seq`
 *   of the last Message it saw: nothing lost, nothing repeated);
 * - else `include_history`: from the oldest kept message of the user;
 * - else the device's delivery cursor: what this device has not yet been sent.
 *
 * Every SESSION_CHECK_MS the session is checked again: a revoked or logged-out
 * session ends the stream with UNAUTHENTICATED within about two seconds.
 * Memory per stream is one page; `write` returning false waits for 'drain'.
 */
import * as grpc from '@grpc/grpc-js';
import { once } from 'node:events';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { MessagingServiceDeps } from './messaging.ts';
import { toMessage } from './messaging.ts';
import { authenticate } from './auth-context.ts';
import { fromInfrastructure, type ErrorCode, type ErrorResponseShape } from './errors.ts';
import { decodeRequest, Uint64String } from './validation.ts';
import { correlationIdOf } from './server.ts';
import { InboxView, InboxWakeups, type InboxItem } from '../../projections/inbox/queries.ts';
import { isForDevice } from '../../projections/inbox/schema.ts';
import type { MessageRecord } from '../../projections/timeline/schema.ts';

export const PAGE_SIZE = 100;
const READ_INTERVAL_MS = 1000;
const SESSION_CHECK_MS = 1000;
const CURSOR_WRITE_MS = 1000;
/** How long a page waits for the timeline to hold rows the inbox already points at. */
const TIMELINE_WAIT_MS = 2000;

const ReceiveRequest = t.type({
  include_history: t.union([t.boolean, t.undefined, t.null]),
  after_seq: t.union([Uint64String, t.undefined, t.null]),
});

type RawRequest = { readonly access_token?: string } & Record<string, unknown>;
type Call = grpc.ServerWritableStream<RawRequest, unknown>;

const STATUS: Partial<Record<ErrorCode, grpc.status>> = {
  UNAUTHORIZED: grpc.status.UNAUTHENTICATED,
  INVALID_REQUEST: grpc.status.INVALID_ARGUMENT,
  FORBIDDEN: grpc.status.PERMISSION_DENIED,
  NOT_FOUND: grpc.status.NOT_FOUND,
  SERVICE_UNAVAILABLE: grpc.status.UNAVAILABLE,
  RATE_LIMITED: grpc.status.RESOURCE_EXHAUSTED,
};

/** Ends a stream with the gRPC status of a contract error (a stream has no response body to carry it). */
function fail(call: Call, error: ErrorResponseShape): void {
  const metadata = new grpc.Metadata();
  metadata.set('guardyn-error-code', error.code);
  for (const [k, v] of Object.entries(error.details)) metadata.set(`guardyn-error-${k.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`, v);
  try {
    call.emit('error', { code: STATUS[error.code] ?? grpc.status.INTERNAL, details: error.message, metadata });
  } catch {
    // the call is gone
  }
}

/** Whether the user deleted the message for themselves only (the timeline's `hiddenFor`, when it keeps one). */
function hiddenFrom(record: MessageRecord, userId: string): boolean {
  const hidden = (record as { readonly hiddenFor?: readonly string[] }).hiddenFor;
  return hidden !== undefined && hidden.includes(userId);
}

const RECENT_ROWS = 4096;
const RECENT_ROW_MS = 2000;

export function streamRpcs(deps: MessagingServiceDeps): grpc.UntypedServiceImplementation {
  const inbox = new InboxView(deps.kv);
  const wakeups = new InboxWakeups(deps.log.nc);

  /** The stored message at (partition, seq), or undefined when the timeline does not hold it. */
  async function readMessage(partition: string, seq: number): Promise<MessageRecord | undefined> {
    const page = await deps.timeline.page(partition, { limit: 1, before: seq + 1 });
    const m = page.messages[0];
    return m !== undefined && m.seq === seq ? m : undefined;
  }

  /**
   * Recently read rows, shared by every stream of this gateway: a group message
   * is read once for all the members streaming here, not once per member. A row
   * is kept for a moment only, so a later tombstone or hide is seen as soon as
   * a live delivery could have raced it anyway.
   */
  const recent = new Map<string, { at: number; row: Promise<MessageRecord | undefined> }>();
  function messageAt(partition: string, seq: number): Promise<MessageRecord | undefined> {
    const k = `${partition}\u0000${seq}`;
    const now = Date.now();
    const hit = recent.get(k);
    if (hit !== undefined && now - hit.at < RECENT_ROW_MS) return hit.row;
    const row = readMessage(partition, seq);
    recent.delete(k);
    recent.set(k, { at: now, row });
    if (recent.size > RECENT_ROWS) recent.delete(recent.keys().next().value!);
    row.catch(() => recent.delete(k));
    return row;
  }

  /** The items of a page the timeline already holds (it is another view; it may lag the inbox briefly). */
  async function readable(items: InboxItem[]): Promise<InboxItem[]> {
    const progress = deps.progressOf('timeline');
    const last = items[items.length - 1];
    if (progress === undefined || last === undefined) return items;
    if (await progress.waitFor(last.seq, TIMELINE_WAIT_MS)) return items;
    const applied = await progress.applied();
    return items.filter((i) => i.seq <= applied);
  }

  async function receive(call: Call): Promise<void> {
    const logger = deps.logger.child({ method: 'messaging.ReceiveMessages', correlationId: correlationIdOf(call) });
    const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
    if (isLeft(who)) return fail(call, who.left);
    const req = decodeRequest(ReceiveRequest, call.request);
    if (isLeft(req)) return fail(call, req.left);
    const { userId, deviceId, sessionId } = who.right;
    const afterSeq = req.right.after_seq ?? 0;

    let closed = false;
    let woken = false;
    let wake: (() => void) | undefined;
    const rouse = () => {
      woken = true;
      wake?.();
    };
    const close = () => {
      closed = true;
      rouse();
    };
    const connection = deps.connections?.connected(userId, deviceId, 'grpc');
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);
    const stopListening = wakeups.listen(userId, rouse);
    const sessionTimer = setInterval(() => {
      void deps.sessions.isActive(sessionId, userId).then((active) => {
        if (active || closed) return;
        close();
        fail(call, { code: 'UNAUTHORIZED', message: 'session ended', details: {} });
      }, () => undefined);
    }, SESSION_CHECK_MS);

    let position = afterSeq > 0 ? afterSeq : req.right.include_history === true ? 0 : await inbox.cursor(userId, deviceId).catch(() => 0);
    let savedCursor = position;
    let lastCursorWrite = Date.now();
    const saveCursor = async () => {
      if (position <= savedCursor) return;
      const upto = position;
      await inbox.advanceCursor(userId, deviceId, upto);
      savedCursor = Math.max(savedCursor, upto);
      lastCursorWrite = Date.now();
    };

    try {
      while (!closed) {
        woken = false;
        const page = await inbox.after(userId, position, PAGE_SIZE);
        const items = page.length === 0 ? page : await readable(page);
        if (items.length === 0) {
          if (Date.now() - lastCursorWrite >= CURSOR_WRITE_MS) await saveCursor();
          if (!woken && !closed) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, READ_INTERVAL_MS);
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
        for (const item of items) {
          if (closed) break;
          if (isForDevice(item.entry, deviceId)) {
            const record = await messageAt(item.entry.p, item.seq);
            if (record === undefined) {
              logger.warn({ seq: item.seq }, 'inbox entry without a timeline row: skipped');
            } else if (hiddenFrom(record, userId)) {
              // deleted by this user for themselves only: none of their devices gets it again
            } else {
              let status = 'DELIVERED';
              if (item.entry.sync) {
                recipientDelivered ??= new Map();
                let upto = recipientDelivered.get(record.recipientUserId);
                if (upto === undefined) recipientDelivered.set(record.recipientUserId, (upto = await inbox.deliveredUpTo(record.recipientUserId)));
                status = upto >= item.seq ? 'DELIVERED' : 'SENT';
              }
              if (closed) break;
              if (!call.write({ ...toMessage(record), delivery_status: status })) {
                // Wait for room (or the end); the abort removes the listener that did not fire.
                const done = new AbortController();
                await Promise.race([once(call, 'drain', { signal: done.signal }), once(call, 'close', { signal: done.signal })]).catch(() => undefined);
                done.abort();
              }
            }
          }
          position = item.seq;
        }
        if (Date.now() - lastCursorWrite >= CURSOR_WRITE_MS) await saveCursor();
      }
    } catch (err) {
      if (!closed) fail(call, fromInfrastructure(err, logger));
      closed = true;
    } finally {
      clearInterval(sessionTimer);
      stopListening();
      connection?.close();
      await saveCursor().catch((err: Error) => logger.warn({ err: err.message }, 'could not save the delivery cursor'));
    }
  }

  return {
    ReceiveMessages: (call: Call) => {
      void receive(call).catch((err: unknown) => fail(call, fromInfrastructure(err, deps.logger)));
    },
  };
}
