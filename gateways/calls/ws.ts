/**
 * The call WebSocket: `/ws` on GUARDYN_CALLS__WEBSOCKET_PORT (8082), frames of
 * docs/CALLS.md over the same listener as :8081 (gateways/ws/server.ts: upgrade
 * checks, bearer token or an `auth` frame within the deadline, sockets per
 * user, pings, idle and session sweeps) and the same frame rules (JSON
 * `{type, payload, request_id?}`, size and rate limits, `error` frames).
 * A socket hears the call notices of its device once authenticated: the
 * `auth_response` is sent after the subscription is in place.
 */
import type { WebSocket } from 'ws';
import * as t from 'io-ts';
import type { Logger } from 'pino';
import type { AccessClaims, TokenService } from '../auth/tokens.ts';
import type { SessionCheck } from '../shared/auth-context.ts';
import type { ErrorResponseShape } from '../shared/errors.ts';
import type { CallDispatch, CallRelay } from '../../streams/call-signals.ts';
import type { ConnectionAnnouncer } from '../../streams/connections.ts';
import type { WebSocketConfig } from '../../runtime/config.ts';
import { MAX_STREAM_SEQ, OptionalUuid, Uuid, WholeNumberUpTo } from '../shared/validation.ts';
import { AuthPayload, decodeFrameWith, frame, iso, Opt, PingPayload, serverFrames } from '../ws/frames.ts';
import { decodeBase64, rid, SocketConnection } from '../ws/socket-connection.ts';
import { serveSockets, type RunningWsGateway, type SocketHooks } from '../ws/server.ts';
import { wsFrames } from '../ws/metrics.ts';
import { historyEntry, type CallActions } from './actions.ts';

export interface CallWsDeps {
  readonly config: WebSocketConfig;
  readonly host: string;
  readonly tokens: Pick<TokenService, 'verifyAccessToken'>;
  readonly sessions: SessionCheck;
  readonly connections: ConnectionAnnouncer | undefined;
  readonly actions: CallActions;
  readonly relay: CallRelay;
  readonly logger: Logger;
}

const Base64 = t.string;
const lower = <const V extends readonly string[]>(values: V, name: string) =>
  new t.Type<Uppercase<V[number]>, string, unknown>(
    name,
    (u): u is Uppercase<V[number]> => typeof u === 'string' && values.map((v) => v.toUpperCase()).includes(u),
    (u, c) =>
      typeof u === 'string' && values.includes(u.toLowerCase())
        ? t.success(u.toUpperCase() as Uppercase<V[number]>)
        : t.failure(u, c, `must be one of ${values.join(', ')}`),
    (v) => v.toLowerCase(),
  );

const codecs: ReadonlyMap<string, t.Mixed> = new Map<string, t.Mixed>([
  ['auth', AuthPayload],
  ['ping', PingPayload],
  [
    'start_call',
    t.type({
      callee_id: Uuid,
      media: lower(['audio', 'video'] as const, 'CallMedia'),
      offer: Base64,
      device_offers: Opt(t.record(t.string, t.string)),
      client_call_id: Opt(OptionalUuid),
    }),
  ],
  ['answer_call', t.type({ call_id: Uuid, answer: Base64 })],
  ['reject_call', t.type({ call_id: Uuid, reason: lower(['busy', 'declined'] as const, 'RejectReason') })],
  ['hang_up', t.type({ call_id: Uuid })],
  ['signal', t.type({ call_id: Uuid, payload: Base64, target_device_id: Opt(OptionalUuid) })],
  ['turn_credentials', t.type({})],
  [
    'call_history',
    t.type({
      limit: Opt(WholeNumberUpTo('Limit', 100)),
      cursor: Opt(t.string),
      min_seq: Opt(WholeNumberUpTo('Seq', MAX_STREAM_SEQ)),
    }),
  ],
]);

type P = Record<string, unknown>;

/** A call notice as a socket frame. */
export function callFrame(d: CallDispatch): string {
  return frame(`call_${d.kind}`, {
    call_id: d.callId,
    caller_id: d.callerUserId,
    caller_device_id: d.callerDeviceId,
    callee_id: d.calleeUserId,
    media: d.media.toLowerCase(),
    user_id: d.userId,
    device_id: d.deviceId,
    at: iso(d.at),
    ...(d.payload !== '' ? { payload: d.payload } : {}),
    ...(d.endReason !== '' ? { reason: d.endReason.replace(/^REJECTED_/, '').toLowerCase() } : {}),
    ...(d.kind === 'ended' ? { duration_seconds: d.durationSeconds } : {}),
    ...(d.seq > 0 ? { seq: d.seq } : {}),
  });
}

class CallSocket extends SocketConnection {
  private stopNotices: (() => void) | undefined;

  constructor(
    ws: WebSocket,
    private readonly deps: CallWsDeps,
    hooks: SocketHooks<CallSocket>,
    upgradeClaims: AccessClaims | undefined,
  ) {
    super(ws, { ...deps, ...hooks }, upgradeClaims, 'closing call socket');
  }

  protected handleText(text: string): void {
    const decoded = decodeFrameWith(codecs, text);
    if (!decoded.ok) return this.error(decoded.error);
    wsFrames.inc({ type: decoded.frame.type });
    const f = decoded.frame;
    this.enqueue(() => this.handle(f.type, f.payload as P, f.requestId));
  }

  /** A blob field: base64 of 1..max bytes, or an INVALID_FRAME naming it. */
  private blob(
    type: string,
    field: string,
    value: unknown,
    max: number,
    requestId: string | undefined,
  ): Buffer | undefined {
    const bytes = typeof value === 'string' ? decodeBase64(value) : undefined;
    if (bytes !== undefined && bytes.length >= 1 && bytes.length <= max) return bytes;
    this.error({
      code: 'INVALID_FRAME',
      message: `invalid ${type} frame: payload.${field} must be base64 of 1-${max} bytes`,
      context: { field: `payload.${field}`, ...rid(requestId) },
    });
    return undefined;
  }

  private async handle(type: string, p: P, requestId: string | undefined): Promise<void> {
    if (type === 'ping') return this.outbox.push(serverFrames.pong(p['timestamp'], requestId), false);
    if (type === 'auth') return this.auth(p as t.TypeOf<typeof AuthPayload>, requestId);
    const who = this.who;
    if (who === undefined)
      return this.error({ code: 'UNAUTHORIZED', message: 'send an auth frame first', context: rid(requestId) });
    const { actions } = this.deps;
    const cfg = actions.deps.config;
    const correlationId = `ws-call-${this.id}-${requestId ?? ''}`;
    const reply = (name: string, payload: P) => this.outbox.push(frame(name, { ...payload, ...rid(requestId) }), false);
    const consistency = (seq: number) => ({ stream: 'CALLS', seq: String(seq) });
    const endAck = (
      out:
        | { error: ErrorResponseShape }
        | {
            ok: { call: { callId: string; endReason: string; endedAt: number; durationSeconds: number }; seq: number };
          },
    ) => {
      if ('error' in out) return this.contractError(out.error, requestId);
      const c = out.ok.call;
      reply('call_end_ack', {
        call_id: c.callId,
        reason: c.endReason.toLowerCase(),
        ended_at: iso(c.endedAt),
        duration_seconds: c.durationSeconds,
        consistency: consistency(out.ok.seq),
      });
    };
    switch (type) {
      case 'start_call': {
        const offer = this.blob(type, 'offer', p['offer'], cfg.maxOfferBytes, requestId);
        if (offer === undefined) return;
        const deviceOffers = new Map<string, Buffer>();
        for (const [deviceId, value] of Object.entries(
          (p['device_offers'] as Record<string, string> | null | undefined) ?? {},
        )) {
          if (!Uuid.is(deviceId))
            return this.error({
              code: 'INVALID_FRAME',
              message: 'invalid start_call frame: payload.device_offers keys must be device UUIDs',
              context: { field: 'payload.device_offers', ...rid(requestId) },
            });
          const b = this.blob(type, `device_offers.${deviceId}`, value, cfg.maxOfferBytes, requestId);
          if (b === undefined) return;
          deviceOffers.set(deviceId, b);
        }
        const out = await actions.start(
          who,
          {
            calleeUserId: p['callee_id'] as string,
            media: p['media'] as 'AUDIO' | 'VIDEO',
            offer,
            deviceOffers,
            clientCallId: (p['client_call_id'] as string | undefined) ?? '',
          },
          correlationId,
        );
        if ('error' in out) return this.contractError(out.error, requestId);
        const s = out.ok;
        return reply('call_started', {
          call_id: s.call.callId,
          started_at: iso(s.call.startedAt),
          ring_timeout_ms: s.call.ringUntil - s.call.startedAt,
          callee_online: s.calleeOnline,
          consistency: consistency(s.seq),
        });
      }
      case 'answer_call': {
        const answer = this.blob(type, 'answer', p['answer'], cfg.maxOfferBytes, requestId);
        if (answer === undefined) return;
        const out = await actions.answer(who, p['call_id'] as string, answer, correlationId);
        if ('error' in out) return this.contractError(out.error, requestId);
        return reply('call_answer_ack', {
          call_id: out.ok.call.callId,
          answered_at: iso(out.ok.call.answeredAt),
          consistency: consistency(out.ok.seq),
        });
      }
      case 'reject_call':
        return endAck(
          await actions.reject(who, p['call_id'] as string, p['reason'] as 'BUSY' | 'DECLINED', correlationId),
        );
      case 'hang_up':
        return endAck(await actions.hangUp(who, p['call_id'] as string, correlationId));
      case 'signal': {
        const payload = this.blob(type, 'payload', p['payload'], cfg.maxSignalBytes, requestId);
        if (payload === undefined) return;
        const out = await actions.signal(
          who,
          p['call_id'] as string,
          payload,
          (p['target_device_id'] as string | undefined) ?? '',
        );
        if ('error' in out) return this.contractError(out.error, requestId);
        return reply('signal_ack', { call_id: p['call_id'] });
      }
      case 'turn_credentials': {
        const c = actions.turn(who.userId);
        return reply('turn_credentials', {
          username: c.username,
          password: c.password,
          ttl_seconds: c.ttlSeconds,
          uris: c.uris,
          expires_at: iso(c.expiresAt),
        });
      }
      case 'call_history': {
        const limit = (p['limit'] as number | null | undefined) || 50;
        const out = await actions.history(
          who.userId,
          limit,
          (p['cursor'] as string | null | undefined) ?? '',
          (p['min_seq'] as number | null | undefined) ?? 0,
        );
        if ('error' in out) return this.contractError(out.error, requestId);
        const calls = out.ok.calls.map((c) => {
          const e = historyEntry(who.userId, c, iso);
          return {
            ...e,
            direction: e.direction.toLowerCase(),
            media: e.media.toLowerCase(),
            state: e.state.toLowerCase(),
            end_reason: c.endReason.toLowerCase(),
          };
        });
        return reply('call_history', { calls, next_cursor: out.ok.nextCursor });
      }
    }
  }

  private async auth(payload: t.TypeOf<typeof AuthPayload>, requestId: string | undefined): Promise<void> {
    const claims = await this.checkAuth(payload, requestId);
    if (claims === undefined) return;
    if (this.who !== undefined)
      return this.outbox.push(
        serverFrames.authResponse(true, { userId: claims.userId, deviceId: claims.deviceId, requestId }),
        false,
      );
    await this.begin(claims, requestId);
  }

  protected async begin(claims: AccessClaims, requestId: string | undefined): Promise<void> {
    if (!this.admit(claims)) return;
    const stop = await this.deps.relay.listen(claims.userId, claims.deviceId, (d) =>
      this.outbox.push(callFrame(d), false),
    );
    if (this.closed) return stop();
    this.stopNotices = stop;
    this.outbox.push(
      serverFrames.authResponse(true, { userId: claims.userId, deviceId: claims.deviceId, requestId }),
      false,
    );
    for (const d of await this.deps.actions.ringingFor(claims.userId, claims.deviceId))
      this.outbox.push(callFrame(d), false);
  }

  protected release(): void {
    this.stopNotices?.();
  }
}

export function startCallWebSocket(deps: CallWsDeps): Promise<RunningWsGateway> {
  return serveSockets<CallSocket>({
    config: deps.config,
    host: deps.host,
    tokens: deps.tokens,
    sessions: deps.sessions,
    logger: deps.logger,
    open: (ws, hooks, claims) => new CallSocket(ws, deps, hooks, claims),
  });
}
