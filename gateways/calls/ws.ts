/**
 * The call WebSocket: `/ws` on GUARDYN_CALLS__WEBSOCKET_PORT (8082), frames of
 * docs/CALLS.md over the same listener as :8081 (gateways/ws/server.ts: upgrade
 * checks, bearer token or an `auth` frame within the deadline, sockets per
 * user, pings, idle and session sweeps) and the same frame rules (JSON
 * `{type, payload, request_id?}`, size and rate limits, `error` frames).
 * A socket hears the call notices of its device once authenticated: the
 * `auth_response` is sent after the subscription is in place.
 */
import type { WebSocket, RawData } from 'ws';
import * as t from 'io-ts';
import type { Logger } from 'pino';
import type { AccessClaims, TokenService } from '../auth/tokens.ts';
import type { SessionCheck } from '../grpc/auth-context.ts';
import { fromInfrastructure, type ErrorResponseShape } from '../grpc/errors.ts';
import type { CallDispatch, CallRelay } from '../../streams/call-signals.ts';
import type { ConnectionAnnouncer, ConnectionHandle } from '../../streams/connections.ts';
import type { WebSocketConfig } from '../../runtime/config.ts';
import { MAX_STREAM_SEQ, OptionalUuid, Uuid, WholeNumberUpTo } from '../grpc/validation.ts';
import { AuthPayload, CLOSE, decodeFrameWith, frame, iso, Opt, PingPayload, serverFrames, type FrameError } from '../ws/frames.ts';
import { checkAuthFrame, decodeBase64, rid } from '../ws/connection.ts';
import { Outbox } from '../ws/outbox.ts';
import { serveSockets, type RunningWsGateway, type SocketHooks } from '../ws/server.ts';
import { wsClosed, wsDropped, wsFrames } from '../ws/metrics.ts';
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
const lower = <const V extends readonly string[]>(values: V, name: string) => new t.Type<Uppercase<V[number]>, string, unknown>(
  name,
  (u): u is Uppercase<V[number]> => typeof u === 'string' && values.map((v) => v.toUpperCase()).includes(u),
  (u, c) => (typeof u === 'string' && values.includes(u.toLowerCase()) ? t.success(u.toUpperCase() as Uppercase<V[number]>) : t.failure(u, c, `must be one of ${values.join(', ')}`)),
  (v) => v.toLowerCase(),
);

const codecs: ReadonlyMap<string, t.Mixed> = new Map<string, t.Mixed>([
  ['auth', AuthPayload],
  ['ping', PingPayload],
  ['start_call', t.type({ callee_id: Uuid, media: lower(['audio', 'video'] as const, 'CallMedia'), offer: Base64, device_offers: Opt(t.record(t.string, t.string)), client_call_id: Opt(OptionalUuid) })],
  ['answer_call', t.type({ call_id: Uuid, answer: Base64 })],
  ['reject_call', t.type({ call_id: Uuid, reason: lower(['busy', 'declined'] as const, 'RejectReason') })],
  ['hang_up', t.type({ call_id: Uuid })],
  ['signal', t.type({ call_id: Uuid, payload: Base64, target_device_id: Opt(OptionalUuid) })],
  ['turn_credentials', t.type({})],
  ['call_history', t.type({ limit: Opt(WholeNumberUpTo('Limit', 100)), cursor: Opt(t.string), min_seq: Opt(WholeNumberUpTo('Seq', MAX_STREAM_SEQ)) })],
]);

type P = Record<string, unknown>;

/** A call notice as a socket frame. */
export function callFrame(d: CallDispatch): string {
  return frame(`call_${d.kind}`, {
    call_id: d.callId, caller_id: d.callerUserId, caller_device_id: d.callerDeviceId, callee_id: d.calleeUserId, media: d.media.toLowerCase(),
    user_id: d.userId, device_id: d.deviceId, at: iso(d.at),
    ...(d.payload !== '' ? { payload: d.payload } : {}),
    ...(d.endReason !== '' ? { reason: d.endReason.replace(/^REJECTED_/, '').toLowerCase() } : {}),
    ...(d.kind === 'ended' ? { duration_seconds: d.durationSeconds } : {}),
    ...(d.seq > 0 ? { seq: d.seq } : {}),
  });
}

let nextId = 0;

class CallSocket {
  readonly id = ++nextId;
  who: AccessClaims | undefined;
  lastSeen = Date.now();
  pingedAt = Date.now();
  closed = false;
  private readonly outbox: Outbox;
  private chain: Promise<void> = Promise.resolve();
  private authTimer: NodeJS.Timeout | undefined;
  private announce: ConnectionHandle | undefined;
  private stopNotices: (() => void) | undefined;

  constructor(readonly ws: WebSocket, private readonly deps: CallWsDeps, private readonly hooks: SocketHooks<CallSocket>, upgradeClaims: AccessClaims | undefined) {
    this.outbox = new Outbox(ws, {
      highWaterBytes: 256 * 1024, maxFrames: deps.config.queueFrames, stallMs: deps.config.stallTimeoutMs,
      onSlow: (reason) => this.close(CLOSE.slowConsumer, 'slow consumer', reason),
      onDrop: () => wsDropped.inc(),
    });
    ws.on('message', (data, isBinary) => this.guarded(() => this.received(data, isBinary)));
    ws.on('pong', () => (this.lastSeen = Date.now()));
    ws.on('close', () => this.ended());
    ws.on('error', () => this.ended());
    if (upgradeClaims !== undefined) this.enqueue(() => this.begin(upgradeClaims, undefined));
    else this.authTimer = setTimeout(() => this.close(CLOSE.authTimeout, 'auth timeout', `no auth frame within ${deps.config.authTimeoutMs} ms`), deps.config.authTimeoutMs);
  }

  guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      const e = fromInfrastructure(err, this.deps.logger.child({ connection: this.id }));
      this.close(CLOSE.internal, 'internal error', e.message);
    }
  }

  private received(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.lastSeen = Date.now();
    this.announce?.activity();
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    const limit = this.hooks.limiter.take(String(this.id));
    if (!limit.allowed) return this.error({ code: 'RATE_LIMITED', message: `too many frames on this socket: try again in ${limit.retryAfterMs} ms`, context: { retry_after_ms: String(limit.retryAfterMs) } });
    if (size > this.deps.config.maxFrameBytes) return this.error({ code: 'FRAME_TOO_LARGE', message: `frames are at most ${this.deps.config.maxFrameBytes} bytes; this one has ${size}`, context: { max_bytes: String(this.deps.config.maxFrameBytes) } });
    if (isBinary) return this.error({ code: 'INVALID_FRAME', message: 'send text frames of JSON, not binary frames' });
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const decoded = decodeFrameWith(codecs, text);
    if (!decoded.ok) return this.error(decoded.error);
    wsFrames.inc({ type: decoded.frame.type });
    const f = decoded.frame;
    this.enqueue(() => this.handle(f.type, f.payload as P, f.requestId));
  }

  private enqueue(step: () => Promise<void> | void): void {
    this.chain = this.chain.then(() => (this.closed ? undefined : step())).catch((err: unknown) => {
      const e = fromInfrastructure(err, this.deps.logger);
      this.error({ code: e.code, message: e.message });
    });
  }

  /** A blob field: base64 of 1..max bytes, or an INVALID_FRAME naming it. */
  private blob(type: string, field: string, value: unknown, max: number, requestId: string | undefined): Buffer | undefined {
    const bytes = typeof value === 'string' ? decodeBase64(value) : undefined;
    if (bytes !== undefined && bytes.length >= 1 && bytes.length <= max) return bytes;
    this.error({ code: 'INVALID_FRAME', message: `invalid ${type} frame: payload.${field} must be base64 of 1-${max} bytes`, context: { field: `payload.${field}`, ...rid(requestId) } });
    return undefined;
  }

  private async handle(type: string, p: P, requestId: string | undefined): Promise<void> {
    if (type === 'ping') return this.outbox.push(serverFrames.pong(p['timestamp'], requestId), false);
    if (type === 'auth') return this.auth(p as t.TypeOf<typeof AuthPayload>, requestId);
    const who = this.who;
    if (who === undefined) return this.error({ code: 'UNAUTHORIZED', message: 'send an auth frame first', context: rid(requestId) });
    const { actions } = this.deps;
    const cfg = actions.deps.config;
    const correlationId = `ws-call-${this.id}-${requestId ?? ''}`;
    const reply = (name: string, payload: P) => this.outbox.push(frame(name, { ...payload, ...rid(requestId) }), false);
    const consistency = (seq: number) => ({ stream: 'CALLS', seq: String(seq) });
    const endAck = (out: { error: ErrorResponseShape } | { ok: { call: { callId: string; endReason: string; endedAt: number; durationSeconds: number }; seq: number } }) => {
      if ('error' in out) return this.contractError(out.error, requestId);
      const c = out.ok.call;
      reply('call_end_ack', { call_id: c.callId, reason: c.endReason.toLowerCase(), ended_at: iso(c.endedAt), duration_seconds: c.durationSeconds, consistency: consistency(out.ok.seq) });
    };
    switch (type) {
      case 'start_call': {
        const offer = this.blob(type, 'offer', p['offer'], cfg.maxOfferBytes, requestId);
        if (offer === undefined) return;
        const deviceOffers = new Map<string, Buffer>();
        for (const [deviceId, value] of Object.entries((p['device_offers'] as Record<string, string> | null | undefined) ?? {})) {
          if (!Uuid.is(deviceId)) return this.error({ code: 'INVALID_FRAME', message: 'invalid start_call frame: payload.device_offers keys must be device UUIDs', context: { field: 'payload.device_offers', ...rid(requestId) } });
          const b = this.blob(type, `device_offers.${deviceId}`, value, cfg.maxOfferBytes, requestId);
          if (b === undefined) return;
          deviceOffers.set(deviceId, b);
        }
        const out = await actions.start(who, {
          calleeUserId: p['callee_id'] as string, media: p['media'] as 'AUDIO' | 'VIDEO', offer, deviceOffers, clientCallId: (p['client_call_id'] as string | undefined) ?? '',
        }, correlationId);
        if ('error' in out) return this.contractError(out.error, requestId);
        const s = out.ok;
        return reply('call_started', { call_id: s.call.callId, started_at: iso(s.call.startedAt), ring_timeout_ms: s.call.ringUntil - s.call.startedAt, callee_online: s.calleeOnline, consistency: consistency(s.seq) });
      }
      case 'answer_call': {
        const answer = this.blob(type, 'answer', p['answer'], cfg.maxOfferBytes, requestId);
        if (answer === undefined) return;
        const out = await actions.answer(who, p['call_id'] as string, answer, correlationId);
        if ('error' in out) return this.contractError(out.error, requestId);
        return reply('call_answer_ack', { call_id: out.ok.call.callId, answered_at: iso(out.ok.call.answeredAt), consistency: consistency(out.ok.seq) });
      }
      case 'reject_call':
        return endAck(await actions.reject(who, p['call_id'] as string, p['reason'] as 'BUSY' | 'DECLINED', correlationId));
      case 'hang_up':
        return endAck(await actions.hangUp(who, p['call_id'] as string, correlationId));
      case 'signal': {
        const payload = this.blob(type, 'payload', p['payload'], cfg.maxSignalBytes, requestId);
        if (payload === undefined) return;
        const out = await actions.signal(who, p['call_id'] as string, payload, (p['target_device_id'] as string | undefined) ?? '');
        if ('error' in out) return this.contractError(out.error, requestId);
        return reply('signal_ack', { call_id: p['call_id'] });
      }
      case 'turn_credentials': {
        const c = actions.turn(who.userId);
        return reply('turn_credentials', { username: c.username, password: c.password, ttl_seconds: c.ttlSeconds, uris: c.uris, expires_at: iso(c.expiresAt) });
      }
      case 'call_history': {
        const limit = (p['limit'] as number | null | undefined) || 50;
        const out = await actions.history(who.userId, limit, (p['cursor'] as string | null | undefined) ?? '', (p['min_seq'] as number | null | undefined) ?? 0);
        if ('error' in out) return this.contractError(out.error, requestId);
        const calls = out.ok.calls.map((c) => {
          const e = historyEntry(who.userId, c, iso);
          return { ...e, direction: e.direction.toLowerCase(), media: e.media.toLowerCase(), state: e.state.toLowerCase(), end_reason: c.endReason.toLowerCase() };
        });
        return reply('call_history', { calls, next_cursor: out.ok.nextCursor });
      }
    }
  }

  private async auth(payload: t.TypeOf<typeof AuthPayload>, requestId: string | undefined): Promise<void> {
    const checked = await checkAuthFrame(this.deps, payload, this.who);
    if ('refused' in checked) {
      this.outbox.push(serverFrames.authResponse(false, { error: checked.refused, requestId }), false);
      if (this.who === undefined) this.close(CLOSE.unauthorized, 'unauthorized', checked.refused);
      return;
    }
    if (this.who !== undefined) return this.outbox.push(serverFrames.authResponse(true, { userId: checked.claims.userId, deviceId: checked.claims.deviceId, requestId }), false);
    await this.begin(checked.claims, requestId);
  }

  private async begin(claims: AccessClaims, requestId: string | undefined): Promise<void> {
    if (this.closed || this.who !== undefined) return;
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    this.who = claims;
    this.hooks.authenticated(this);
    if (this.closed) return;
    this.announce = this.deps.connections?.connected(claims.userId, claims.deviceId, 'ws');
    const stop = await this.deps.relay.listen(claims.userId, claims.deviceId, (d) => this.outbox.push(callFrame(d), false));
    if (this.closed) return stop();
    this.stopNotices = stop;
    this.outbox.push(serverFrames.authResponse(true, { userId: claims.userId, deviceId: claims.deviceId, requestId }), false);
    for (const d of await this.deps.actions.ringingFor(claims.userId, claims.deviceId)) this.outbox.push(callFrame(d), false);
  }

  private error(e: FrameError): void {
    this.outbox.push(serverFrames.error(e), false);
  }

  private contractError(e: ErrorResponseShape, requestId: string | undefined): void {
    this.error({ code: e.code, message: e.message, context: { ...e.details, ...rid(requestId) } });
  }

  sessionEnded(): void {
    if (this.closed) return;
    this.error({ code: 'UNAUTHORIZED', message: 'session ended' });
    this.close(CLOSE.sessionEnded, 'session ended', 'session ended');
  }

  ping(now: number): void {
    this.pingedAt = now;
    try {
      this.ws.ping();
    } catch {
      // closing
    }
  }

  checkStall(now: number): boolean {
    return this.outbox.checkStall(now);
  }

  close(code: number, reason: string, detail: string): void {
    if (this.closed) return;
    wsClosed.inc({ reason });
    this.deps.logger.debug({ connection: this.id, userId: this.who?.userId, code, detail }, 'closing call socket');
    const slow = code === CLOSE.slowConsumer || code === CLOSE.idle;
    this.ended();
    try {
      if (slow) this.ws.terminate();
      else this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  private ended(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.authTimer);
    this.outbox.close();
    this.stopNotices?.();
    this.announce?.close();
    this.hooks.limiter.reset(String(this.id));
    this.hooks.gone(this);
  }
}

export function startCallWebSocket(deps: CallWsDeps): Promise<RunningWsGateway> {
  return serveSockets<CallSocket>({
    config: deps.config, host: deps.host, tokens: deps.tokens, sessions: deps.sessions, logger: deps.logger,
    open: (ws, hooks, claims) => new CallSocket(ws, deps, hooks, claims),
  });
}
