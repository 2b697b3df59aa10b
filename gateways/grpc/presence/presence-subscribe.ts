/**
 * PresenceService.Subscribe: a server stream of PresenceUpdate for up to 100
 * users. First the current presence of each (a snapshot), then every change
 * once, as it happens: presence from the PresenceFeed (gateways/presence-hub.ts,
 * driven by the PRESENCE stream), typing from the core NATS signals sent to the
 * caller (`typing.user.<caller>`). Nothing polls.
 *
 * - Only users the caller may see are shown (privacy, presence-hub.ts); typing
 *   is shown from watched users the caller may see, with
 *   `typing_in_conversation_with` = the caller. A "typing" not repeated within
 *   TYPING_TTL_MS is followed by `is_typing: false`.
 * - The stream is a connection of the calling device (streams/connections.ts):
 *   the caller shows present while it is open.
 * - The session is checked every second: a revoked session ends the stream
 *   with UNAUTHENTICATED.
 * - The stream counts against the per-user and per-device stream limits
 *   (stream-admission.ts): over them it is refused, RESOURCE_EXHAUSTED.
 * - A slow reader cannot grow memory without bound: while the stream is not
 *   writable, only the newest pending update per user is kept (at most 100).
 */
import * as grpc from '@grpc/grpc-js';
import { clientMistakeIfCancelled, failStream } from '../stream-errors.ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Unsubscribe } from '../../../streams/signals.ts';
import { subscribeTyping } from '../../../streams/typing.ts';
import type { PresenceUpdate } from '../../presence-feed.ts';
import { TYPING_TTL_MS } from '../../typing-board.ts';
import { watchSession } from '../../delivery/session-watch.ts';
import { authenticate } from '../../shared/auth-context.ts';
import { fromInfrastructure, type ErrorResponseShape } from '../../shared/errors.ts';
import { UserIdsRequest, type PresenceServiceDeps } from './deps.ts';
import { correlationIdOf } from '../server.ts';
import { toTimestamp } from '../timestamps.ts';
import { decodeRequest } from '../../shared/validation.ts';
import { admitStream } from '../stream-admission.ts';
import type { PresenceServiceHandlers } from '../generated/guardyn/presence/PresenceService.ts';
import type { PresenceUpdate as PresenceUpdateMessage } from '../generated/guardyn/presence/PresenceUpdate.ts';
import type { SubscribeRequest__Output } from '../generated/guardyn/presence/SubscribeRequest.ts';

const SESSION_CHECK_MS = 1000;

type Call = grpc.ServerWritableStream<SubscribeRequest__Output, PresenceUpdateMessage>;

const fail = (call: Call, error: ErrorResponseShape): void =>
  failStream(call as grpc.ServerWritableStream<unknown, unknown>, error);

interface Typing {
  readonly to: string;
  readonly timer: NodeJS.Timeout;
}

export function subscribeRpc(deps: PresenceServiceDeps): Pick<PresenceServiceHandlers, 'Subscribe'> {
  const slots = deps.streamSlots;
  async function subscribe(call: Call): Promise<void> {
    const logger = deps.logger.child({ method: 'presence.Subscribe', correlationId: correlationIdOf(call) });
    const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
    if (isLeft(who)) return fail(call, who.left);
    const req = decodeRequest(UserIdsRequest, call.request);
    if (isLeft(req)) return fail(call, req.left);
    const { userId: viewer, deviceId, sessionId } = who.right;
    const watched = new Set(req.right.user_ids);
    const admitted = admitStream(call as grpc.ServerWritableStream<unknown, unknown>, slots, who.right);
    if ('error' in admitted) return fail(call, admitted.error);

    let closed = false;
    const latest = new Map<string, PresenceUpdate>();
    const typingOf = new Map<string, Typing>();
    /** Updates waiting for the stream to drain: the newest per user. */
    const pending = new Map<string, PresenceUpdateMessage>();
    let waitingForDrain = false;

    const message = (u: PresenceUpdate, typingTo: string | undefined): PresenceUpdateMessage => ({
      user_id: u.userId,
      status: u.status,
      custom_status_text: u.customStatusText,
      last_seen: u.lastSeen === undefined ? null : toTimestamp(u.lastSeen),
      updated_at: u.at > 0 ? toTimestamp(u.at) : null,
      is_typing: typingTo !== undefined,
      typing_in_conversation_with: typingTo ?? '',
    });
    const send = (userId: string) => {
      const u = latest.get(userId);
      if (closed || u === undefined) return;
      const m = message(u, typingOf.get(userId)?.to);
      if (waitingForDrain) {
        pending.delete(userId);
        pending.set(userId, m);
        return;
      }
      if (!call.write(m)) waitingForDrain = true;
    };
    call.on('drain', () => {
      waitingForDrain = false;
      for (const [userId, m] of pending) {
        pending.delete(userId);
        if (closed) return;
        if (!call.write(m)) {
          waitingForDrain = true;
          return;
        }
      }
    });

    const stopTyping = (userId: string) => {
      const t = typingOf.get(userId);
      if (t === undefined) return;
      clearTimeout(t.timer);
      typingOf.delete(userId);
      send(userId);
    };

    let stopWatch: (() => void) | undefined;
    let stopTypingSignals: Unsubscribe | undefined;
    const connection = deps.connections.connected(viewer, deviceId, 'grpc');
    const stopWatching = watchSession(deps.sessions, { sessionId, userId: viewer }, SESSION_CHECK_MS, () => {
      if (closed) return;
      close();
      fail(call, { code: 'UNAUTHORIZED', message: 'session ended', details: {} });
    });
    const close = () => {
      if (closed) return;
      closed = true;
      stopWatching();
      stopWatch?.();
      stopTypingSignals?.();
      for (const t of typingOf.values()) clearTimeout(t.timer);
      typingOf.clear();
      pending.clear();
      connection.close();
      admitted.release();
    };
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);

    try {
      // Typing first, so a signal sent while the snapshot is read is not missed (it waits for its user's snapshot).
      stopTypingSignals = subscribeTyping(deps.signals, viewer, (signal) => {
        if (closed || signal.toUserId !== viewer || !watched.has(signal.fromUserId)) return;
        const from = signal.fromUserId;
        if (!latest.has(from)) return; // not visible to the caller (or its snapshot is still being read)
        if (!signal.isTyping) return stopTyping(from);
        const before = typingOf.get(from);
        if (before !== undefined) clearTimeout(before.timer);
        const timer = setTimeout(() => stopTyping(from), TYPING_TTL_MS);
        timer.unref();
        typingOf.set(from, { to: viewer, timer });
        if (before === undefined) send(from);
      });
      const stop = await deps.hub.watch(viewer, [...watched], (u) => {
        latest.set(u.userId, u);
        send(u.userId);
      });
      if (closed) stop();
      else stopWatch = stop;
    } catch (err) {
      fail(call, fromInfrastructure(clientMistakeIfCancelled(call, err), logger));
      close();
    }
  }

  return {
    Subscribe: (call: Call) => {
      void subscribe(call).catch((err: unknown) =>
        fail(call, fromInfrastructure(clientMistakeIfCancelled(call, err), deps.logger)),
      );
    },
  };
}
