/**
 * guardyn.call.CallService on :50055 (docs/CALLS.md): StartCall, AnswerCall,
 * RejectCall, HangUp, SendSignal, GetTurnCredentials, GetCallHistory,
 * ReceiveCallEvents and Health. Every call is authenticated first, then
 * validated (INVALID_REQUEST naming the field); blobs (offer, answer, signal)
 * are bounded by GUARDYN_CALLS__MAX_OFFER_BYTES / _MAX_SIGNAL_BYTES and never
 * looked into. ReceiveCallEvents opens once the device's notices are
 * subscribed: its response headers mean nothing sent from then on is missed.
 */
import * as grpc from '@grpc/grpc-js';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import type { TokenService } from '../../auth/tokens.ts';
import type { CallRelay, CallDispatch } from '../../../streams/call-signals.ts';
import type { ConnectionAnnouncer } from '../../../streams/connections.ts';
import type { StreamSlots } from '../../limits/stream-slots.ts';
import { watchSession } from '../../delivery/session-watch.ts';
import { authenticate, type SessionCheck, type CallWithAccessToken } from '../../shared/auth-context.ts';
import { fromInfrastructure, type ErrorResponseShape } from '../../shared/errors.ts';
import { type HealthProbe, healthRpc } from '../health.ts';
import { unary, correlationIdOf, type ReplyOf } from '../server.ts';
import { clientMistakeIfCancelled, failStream } from '../stream-errors.ts';
import { admitStream } from '../stream-admission.ts';
import { toTimestamp } from '../timestamps.ts';
import {
  BoundedBytes,
  decodeRequest,
  EnumName,
  OptionalUuid,
  PageSize,
  StreamSeq,
  Uuid,
} from '../../shared/validation.ts';
import { historyEntry, type CallActions } from '../../calls/actions.ts';
import type { CallServiceHandlers as Rpc } from '../generated/guardyn/call/CallService.ts';
import type { CallEnded } from '../generated/guardyn/call/CallEnded.ts';
import type { CallRecord } from '../generated/guardyn/call/CallRecord.ts';
import type { CallEvent } from '../generated/guardyn/call/CallEvent.ts';
import type { CallEventKind } from '../generated/guardyn/call/CallEventKind.ts';
import { CallMedia } from '../generated/guardyn/call/CallMedia.ts';
import { EndReason } from '../generated/guardyn/call/EndReason.ts';
import type { EndReason as DomainEndReason } from '../../../streams/events/calls.ts';
import type { ReceiveCallEventsRequest__Output } from '../generated/guardyn/call/ReceiveCallEventsRequest.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

export interface CallServiceDeps {
  readonly tokens: TokenService;
  readonly sessions: SessionCheck;
  readonly actions: CallActions;
  readonly relay: CallRelay;
  readonly connections: ConnectionAnnouncer;
  readonly streamSlots: StreamSlots;
  readonly health: HealthProbe;
  readonly logger: Logger;
}

type ReceiveCall = grpc.ServerWritableStream<ReceiveCallEventsRequest__Output, CallEvent>;

/** Most per-device offers one StartCall may carry. */
export const MAX_DEVICE_OFFERS = 32;
const SESSION_CHECK_MS = 1000;

const EVENT_KIND: Record<CallDispatch['kind'], CallEventKind> = {
  ringing: 'CALL_RINGING',
  answered: 'CALL_ANSWERED',
  answered_elsewhere: 'CALL_ANSWERED_ELSEWHERE',
  rejected: 'CALL_REJECTED',
  missed: 'CALL_MISSED',
  ended: 'CALL_ENDED',
  signal: 'CALL_SIGNAL',
};

/**
 * `value` when it names a member of a generated enum (`names`), else the enum's unspecified member:
 * what the encoder would send for an unknown name anyway, now said out loud.
 */
function memberOf<T extends string>(names: { readonly [name: string]: T }, value: string, unspecified: T): T {
  return Object.hasOwn(names, value) ? names[value]! : unspecified;
}

/** A dispatch as a gRPC CallEvent (media and end reason arrive as strings from other gateways: checked here). */
export function callEventMessage(d: CallDispatch): CallEvent {
  return {
    kind: EVENT_KIND[d.kind],
    call_id: d.callId,
    caller_user_id: d.callerUserId,
    callee_user_id: d.calleeUserId,
    media: memberOf(CallMedia, d.media, 'CALL_MEDIA_UNSPECIFIED'),
    user_id: d.userId,
    device_id: d.deviceId,
    payload: Buffer.from(d.payload, 'base64'),
    end_reason: memberOf(EndReason, d.endReason, 'END_REASON_UNSPECIFIED'),
    duration_seconds: d.durationSeconds,
    at: toTimestamp(d.at),
    seq: d.seq,
    caller_device_id: d.callerDeviceId,
  };
}

export function callServiceImplementation(deps: CallServiceDeps): Rpc {
  const cfg = deps.actions.deps.config;
  const Offer = BoundedBytes(cfg.maxOfferBytes, { min: 1 });
  const DeviceOffers = new t.Type<Map<string, Buffer>, unknown, unknown>(
    'DeviceOffers',
    (u): u is Map<string, Buffer> => u instanceof Map,
    (u, c) => {
      if (u === null || u === undefined) return t.success(new Map());
      if (typeof u !== 'object') return t.failure(u, c, 'must be a map of device id to bytes');
      const entries = Object.entries(u as Record<string, unknown>);
      if (entries.length > MAX_DEVICE_OFFERS) return t.failure(u, c, `must name at most ${MAX_DEVICE_OFFERS} devices`);
      const out = new Map<string, Buffer>();
      for (const [k, v] of entries) {
        if (isLeft(Uuid.decode(k))) return t.failure(u, c, 'keys must be lower-case device UUIDs');
        const b = Offer.decode(v);
        if (isLeft(b)) return t.failure(u, c, `values must be non-empty and at most ${cfg.maxOfferBytes} bytes`);
        out.set(k, b.right);
      }
      return t.success(out);
    },
    (m) => m,
  );
  const StartCallRequest = t.type({
    callee_user_id: Uuid,
    media: EnumName(['AUDIO', 'VIDEO'], 'CallMedia'),
    offer: Offer,
    device_offers: DeviceOffers,
    client_call_id: OptionalUuid,
  });
  const AnswerCallRequest = t.type({ call_id: Uuid, answer: Offer });
  const RejectCallRequest = t.type({ call_id: Uuid, reason: EnumName(['BUSY', 'DECLINED'], 'RejectReason') });
  const HangUpRequest = t.type({ call_id: Uuid });
  const SendSignalRequest = t.type({
    call_id: Uuid,
    payload: BoundedBytes(cfg.maxSignalBytes, { min: 1 }),
    target_device_id: OptionalUuid,
  });
  const HistoryRequest = t.type({ limit: PageSize, cursor: t.string, min_seq: StreamSeq });

  const auth = (call: CallWithAccessToken) => authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
  const ended = (r: {
    call: { callId: string; endReason: DomainEndReason | ''; endedAt: number; durationSeconds: number };
    seq: number;
  }): CallEnded => ({
    call_id: r.call.callId,
    reason: r.call.endReason === '' ? 'END_REASON_UNSPECIFIED' : r.call.endReason,
    ended_at: toTimestamp(r.call.endedAt || Date.now()),
    duration_seconds: r.call.durationSeconds,
    consistency: { stream: 'CALLS', seq: r.seq },
  });

  async function receive(call: ReceiveCall): Promise<void> {
    const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
    const fail = (e: ErrorResponseShape) => failStream(call as grpc.ServerWritableStream<unknown, unknown>, e);
    if (isLeft(who)) return fail(who.left);
    const { userId, deviceId, sessionId } = who.right;
    let closed = false;
    let stopListening: (() => void) | undefined;
    let release: (() => void) | undefined;
    const connection = deps.connections.connected(userId, deviceId, 'grpc');
    const stopWatching = watchSession(deps.sessions, { sessionId, userId }, SESSION_CHECK_MS, () => {
      if (closed) return;
      close();
      fail({ code: 'UNAUTHORIZED', message: 'session ended', details: {} });
    });
    const close = () => {
      if (closed) return;
      closed = true;
      stopWatching();
      stopListening?.();
      release?.();
      connection.close();
    };
    for (const e of ['cancelled', 'close', 'error', 'finish']) call.on(e, close);
    const stop = await deps.relay.listen(userId, deviceId, (d) => {
      if (!closed) call.write(callEventMessage(d));
    });
    if (closed) return stop();
    stopListening = stop;
    // Admitted (headers sent) only now: a client that sees the headers misses nothing sent after.
    const admitted = admitStream(call as grpc.ServerWritableStream<unknown, unknown>, deps.streamSlots, who.right);
    if ('error' in admitted) {
      close();
      return fail(admitted.error);
    }
    release = admitted.release;
    for (const d of await deps.actions.ringingFor(userId, deviceId)) if (!closed) call.write(callEventMessage(d));
  }

  return {
    StartCall: unary('call.StartCall', deps.logger, async (call, ctx): Reply<'StartCall'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(StartCallRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      const out = await deps.actions.start(
        who.right,
        {
          calleeUserId: r.callee_user_id,
          media: r.media,
          offer: r.offer,
          deviceOffers: r.device_offers,
          clientCallId: r.client_call_id ?? '',
        },
        ctx.correlationId,
      );
      if ('error' in out) return out;
      const s = out.ok;
      return {
        success: {
          call_id: s.call.callId,
          started_at: toTimestamp(s.call.startedAt),
          ring_timeout_ms: s.call.ringUntil - s.call.startedAt,
          consistency: { stream: 'CALLS', seq: s.seq },
          callee_online: s.calleeOnline,
        },
      };
    }),

    AnswerCall: unary('call.AnswerCall', deps.logger, async (call, ctx): Reply<'AnswerCall'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(AnswerCallRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const out = await deps.actions.answer(who.right, req.right.call_id, req.right.answer, ctx.correlationId);
      if ('error' in out) return out;
      return {
        success: {
          call_id: out.ok.call.callId,
          answered_at: toTimestamp(out.ok.call.answeredAt),
          consistency: { stream: 'CALLS', seq: out.ok.seq },
        },
      };
    }),

    RejectCall: unary('call.RejectCall', deps.logger, async (call, ctx): Reply<'RejectCall'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(RejectCallRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const out = await deps.actions.reject(who.right, req.right.call_id, req.right.reason, ctx.correlationId);
      return 'error' in out ? out : { success: ended(out.ok) };
    }),

    HangUp: unary('call.HangUp', deps.logger, async (call, ctx): Reply<'HangUp'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(HangUpRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const out = await deps.actions.hangUp(who.right, req.right.call_id, ctx.correlationId);
      return 'error' in out ? out : { success: ended(out.ok) };
    }),

    SendSignal: unary('call.SendSignal', deps.logger, async (call): Reply<'SendSignal'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(SendSignalRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const out = await deps.actions.signal(
        who.right,
        req.right.call_id,
        req.right.payload,
        req.right.target_device_id ?? '',
      );
      return 'error' in out ? out : { success: { relayed: true } };
    }),

    GetTurnCredentials: unary('call.GetTurnCredentials', deps.logger, async (call): Reply<'GetTurnCredentials'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const c = deps.actions.turn(who.right.userId);
      return {
        success: {
          username: c.username,
          password: c.password,
          ttl_seconds: c.ttlSeconds,
          uris: [...c.uris],
          expires_at: toTimestamp(c.expiresAt),
        },
      };
    }),

    GetCallHistory: unary('call.GetCallHistory', deps.logger, async (call): Reply<'GetCallHistory'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(HistoryRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const userId = who.right.userId;
      const out = await deps.actions.history(userId, req.right.limit, req.right.cursor, req.right.min_seq);
      if ('error' in out) return out;
      return {
        success: {
          calls: out.ok.calls.map((c): CallRecord => historyEntry(userId, c, toTimestamp)),
          next_cursor: out.ok.nextCursor,
        },
      };
    }),

    ReceiveCallEvents: (call: ReceiveCall) => {
      void receive(call).catch((err: unknown) =>
        failStream(
          call as grpc.ServerWritableStream<unknown, unknown>,
          fromInfrastructure(
            clientMistakeIfCancelled(call, err),
            deps.logger.child({ method: 'call.ReceiveCallEvents', correlationId: correlationIdOf(call) }),
          ),
        ),
      );
    },

    Health: healthRpc('call.Health', deps.logger, deps.health),
  };
}
