/**
 * guardyn.presence.PresenceService on :50053: UpdateStatus, GetStatus,
 * GetBulkStatus, Subscribe (presence-subscribe.ts), UpdateLastSeen, SetTyping
 * and Health. Every call is authenticated first, then validated
 * (INVALID_REQUEST naming the field).
 *
 * - A call that says the device is here (UpdateLastSeen, UpdateStatus other
 *   than OFFLINE, SetTyping) is a heartbeat: the device counts as connected
 *   for the heartbeat timeout (presence-leases.ts) and as active now.
 * - UpdateStatus OFFLINE is the device signing off: its heartbeat ends, and
 *   the user shows OFFLINE unless another connection of theirs is still up.
 * - Reads show presence as the caller may see it: only users who share a
 *   conversation or a group with the caller (others are NOT_FOUND in GetStatus,
 *   left out of GetBulkStatus, like unknown users), or every registered user
 *   with GUARDYN_PRESENCE__VISIBILITY=everyone; INVISIBLE shows OFFLINE
 *   without last_seen (the user themself sees INVISIBLE).
 * - UpdateLastSeen answers with the time of the call, and GetStatus and
 *   GetBulkStatus show the newest last-seen this process knows of
 *   (presence-last-seen.ts), though last-seen is committed only every
 *   GUARDYN_PRESENCE__LAST_SEEN_EVERY_MS.
 * - SetTyping relays over core NATS (streams/typing.ts) to the peer, rate
 *   limited per (caller, peer) in this process; to a user who is not a contact
 *   of the caller nothing is relayed (`acknowledged: false`), whatever the
 *   presence visibility.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { shownPresence, type PresenceState } from '../../../commands/presence/decider.ts';
import { directConversationId } from '../../../commands/conversation/decider.ts';
import { publishTyping } from '../../../streams/typing.ts';
import { rateLimited } from '../../limits/auth-limits.ts';
import { SlidingWindowLimiter } from '../../limits/limiter.ts';
import { stateOf } from '../../presence-hub.ts';
import { authenticate, type CallWithAccessToken } from '../../shared/auth-context.ts';
import { errorResponse } from '../../shared/errors.ts';
import { healthRpc } from '../health.ts';
import { subscribeRpc } from './presence-subscribe.ts';
import { UserIdsRequest, type PresenceServiceDeps } from './deps.ts';
import { unary, type ReplyOf } from '../server.ts';
import { toTimestamp } from '../timestamps.ts';
import { BoundedString, decodeRequest, EnumName, Uuid } from '../../shared/validation.ts';
import type { UserPresence } from '../generated/guardyn/presence/UserPresence.ts';
import type { PresenceServiceHandlers as Rpc } from '../generated/guardyn/presence/PresenceService.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

/** Longest custom status text, in characters. */
export const MAX_CUSTOM_STATUS_CHARS = 256;

const USER_STATUSES = ['OFFLINE', 'ONLINE', 'AWAY', 'DO_NOT_DISTURB', 'INVISIBLE'] as const;

const UpdateStatusRequest = t.type({
  status: EnumName(USER_STATUSES, 'UserStatus'),
  custom_status_text: BoundedString('CustomStatusText', MAX_CUSTOM_STATUS_CHARS, { rejectControl: true }),
});
const GetStatusRequest = t.type({ user_id: Uuid });
const SetTypingRequest = t.type({ conversation_user_id: Uuid, is_typing: t.boolean });

const lastSeenOf = (ms: number | undefined) => (ms === undefined ? null : toTimestamp(ms));

export function presenceServiceImplementation(deps: PresenceServiceDeps): Rpc {
  const auth = (call: CallWithAccessToken) => authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
  const typingLimit = deps.config.presence.typingPerRecipient;
  const typing = new SlidingWindowLimiter({
    max: typingLimit.max,
    windowMs: typingLimit.windowSeconds * 1000,
    maxKeys: deps.config.limits.maxTrackedKeys,
  });

  /**
   * The device is here and active: heartbeat lease plus a decision now. The
   * state answered carries this moment as its last-seen, even when the engine
   * did not commit it (last-seen commits are throttled).
   */
  const present = async (userId: string, deviceId: string): Promise<PresenceState> => {
    const at = Date.now();
    deps.lastSeen.saw(userId, at);
    deps.leases.touch(userId, deviceId);
    return deps.lastSeen.raise(userId, await deps.engine.touched(userId, at));
  };
  /** A user's presence as the feed and view have it, with the newest last-seen this process knows. */
  const stateOfUser = (userId: string, record: Parameters<typeof stateOf>[0]) =>
    deps.lastSeen.raise(userId, stateOf(record));

  return {
    UpdateStatus: unary('presence.UpdateStatus', deps.logger, async (call, ctx): Reply<'UpdateStatus'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(UpdateStatusRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const { userId, deviceId } = who.right;
      const { status, custom_status_text: text } = req.right;
      let state: PresenceState;
      if (status === 'OFFLINE') {
        // Signing off: the device's heartbeat ends; the tracker of this process hears the `down`
        // before the flush returns (same connection, in order), so the decision sees it.
        deps.leases.end(userId, deviceId);
        await deps.signals.flush();
        state = await deps.engine.choose(
          { userId, status: (await deps.engine.observe(userId)).chosen, customStatusText: text, at: Date.now() },
          { correlationId: ctx.correlationId, deviceId },
        );
      } else {
        await present(userId, deviceId);
        state = await deps.engine.choose(
          { userId, status, customStatusText: text, at: Date.now() },
          { correlationId: ctx.correlationId, deviceId },
        );
      }
      const shown = shownPresence(state, true);
      return { success: { status: shown.status, updated_at: toTimestamp(state.updatedAt || Date.now()) } };
    }),

    GetStatus: unary('presence.GetStatus', deps.logger, async (call): Reply<'GetStatus'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(GetStatusRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const viewer = who.right.userId;
      const subject = req.right.user_id;
      if (!(await deps.visibility.canSee(viewer, subject))) {
        return {
          error: errorResponse(
            'NOT_FOUND',
            'no presence to show for this user (unknown, or sharing no conversation or group with you)',
            { field: 'user_id' },
          ),
        };
      }
      const [record] = await deps.hub.current([subject]);
      const shown = shownPresence(stateOfUser(subject, record), subject === viewer);
      return {
        success: {
          user_id: subject,
          status: shown.status,
          custom_status_text: shown.customStatusText,
          last_seen: lastSeenOf(shown.lastSeen),
          is_typing: deps.typing.isTyping(subject, viewer),
        },
      };
    }),

    GetBulkStatus: unary('presence.GetBulkStatus', deps.logger, async (call): Reply<'GetBulkStatus'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(UserIdsRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const viewer = who.right.userId;
      const visible = await deps.visibility.visibleOf(viewer, req.right.user_ids);
      const ids = [...new Set(req.right.user_ids)].filter((id) => visible.has(id));
      const records = await deps.hub.current(ids);
      return {
        success: {
          presences: ids.map((id, i): UserPresence => {
            const shown = shownPresence(stateOfUser(id, records[i]), id === viewer);
            return {
              user_id: id,
              status: shown.status,
              custom_status_text: shown.customStatusText,
              last_seen: lastSeenOf(shown.lastSeen),
            };
          }),
        },
      };
    }),

    UpdateLastSeen: unary('presence.UpdateLastSeen', deps.logger, async (call): Reply<'UpdateLastSeen'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const state = await present(who.right.userId, who.right.deviceId);
      return { success: { last_seen: toTimestamp(state.lastSeen || Date.now()) } };
    }),

    SetTyping: unary('presence.SetTyping', deps.logger, async (call): Reply<'SetTyping'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(SetTypingRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const from = who.right;
      const to = req.right.conversation_user_id;
      if (to === from.userId)
        return {
          error: errorResponse('INVALID_REQUEST', 'invalid request: conversation_user_id must be another user', {
            field: 'conversation_user_id',
          }),
        };
      const taken = typing.take(`${from.userId}|${to}`);
      if (!taken.allowed) {
        rateLimited.inc({ limit: 'typing_per_recipient' });
        const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
        return {
          error: errorResponse('RATE_LIMITED', `too many typing signals to this user: try again in ${seconds} s`, {
            retry_after_seconds: String(seconds),
          }),
        };
      }
      if (!(await deps.directory.exists(to)))
        return { error: errorResponse('NOT_FOUND', 'user not found', { field: 'conversation_user_id' }) };
      await present(from.userId, from.deviceId);
      if (!(await deps.visibility.areContacts(to, from.userId))) return { success: { acknowledged: false } };
      publishTyping(deps.signals, {
        fromUserId: from.userId,
        fromDeviceId: from.deviceId,
        toUserId: to,
        conversationId: directConversationId(from.userId, to),
        isTyping: req.right.is_typing,
        at: Date.now(),
      });
      return { success: { acknowledged: true } };
    }),

    Health: healthRpc('presence.Health', deps.logger, deps.health),

    ...subscribeRpc(deps),
  };
}
