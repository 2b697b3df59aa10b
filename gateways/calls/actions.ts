/**
 * The call actions both transports serve (gRPC CallService on :50055, the call
 * WebSocket on :8082): the per-caller and per-device rate limits, the use
 * cases, and the answers as transport-neutral records. Requests arrive here
 * validated; errors leave as the contract's error shapes.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import type { CallService, Committed, StartedCall, StartRequest } from '../../commands/call/actions.ts';
import type { CallRecord, Device } from '../../commands/call/decider.ts';
import type { RejectReason } from '../../streams/events/calls.ts';
import type { CallDispatch } from '../../streams/call-signals.ts';
import type { CallsConfig } from '../../runtime/config-calls.ts';
import type { CallsView } from '../../projections/calls/queries.ts';
import type { ProjectionProgress } from '../../projections/query/progress.ts';
import { SlidingWindowLimiter } from '../limits/limiter.ts';
import { rateLimited } from '../limits/auth-limits.ts';
import { errorResponse, fromDomain, type ErrorResponseShape } from '../shared/errors.ts';
import { turnCredentials, type TurnCredentials } from './turn.ts';

/** Recent calls of a user looked at for ones still ringing when a device connects. */
const RINGING_LOOKBACK = 20;

export type Outcome<A> = { readonly ok: A } | { readonly error: ErrorResponseShape };

export interface CallActionDeps {
  readonly calls: CallService;
  readonly view: Pick<CallsView, 'history' | 'isHistoryKey'>;
  readonly progress: ProjectionProgress;
  readonly config: CallsConfig;
  readonly turnSecret: string;
  readonly maxTrackedKeys: number;
  readonly minSeqWaitMs: number;
  readonly logger: Logger;
}

export interface HistoryPage {
  readonly calls: readonly CallRecord[];
  readonly nextCursor: string;
}

function limited(
  limiter: SlidingWindowLimiter,
  key: string,
  limit: string,
  what: string,
): ErrorResponseShape | undefined {
  const taken = limiter.take(key);
  if (taken.allowed) return undefined;
  rateLimited.inc({ limit });
  const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
  return errorResponse('RATE_LIMITED', `too many ${what}: try again in ${seconds} s`, {
    retry_after_ms: String(taken.retryAfterMs),
    retry_after_seconds: String(seconds),
  });
}

export class CallActions {
  private readonly starts: SlidingWindowLimiter;
  private readonly signals: SlidingWindowLimiter;

  constructor(readonly deps: CallActionDeps) {
    const c = deps.config;
    this.starts = new SlidingWindowLimiter({
      max: c.startsPerCaller.max,
      windowMs: c.startsPerCaller.windowSeconds * 1000,
      maxKeys: deps.maxTrackedKeys,
    });
    this.signals = new SlidingWindowLimiter({
      max: c.signalsPerDevice.max,
      windowMs: c.signalsPerDevice.windowSeconds * 1000,
      maxKeys: deps.maxTrackedKeys,
    });
  }

  async start(caller: Device, req: StartRequest, correlationId: string): Promise<Outcome<StartedCall>> {
    const refused = limited(this.starts, caller.userId, 'call_starts_per_caller', 'calls started');
    if (refused !== undefined) return { error: refused };
    const r = await this.deps.calls.start(caller, req, correlationId);
    return isLeft(r) ? { error: fromDomain(r.left) } : { ok: r.right };
  }

  async answer(by: Device, callId: string, answer: Uint8Array, correlationId: string): Promise<Outcome<Committed>> {
    const r = await this.deps.calls.answer(by, callId, answer, correlationId);
    return isLeft(r) ? { error: fromDomain(r.left) } : { ok: r.right };
  }

  async reject(by: Device, callId: string, reason: RejectReason, correlationId: string): Promise<Outcome<Committed>> {
    const r = await this.deps.calls.reject(by, callId, reason, correlationId);
    return isLeft(r) ? { error: fromDomain(r.left) } : { ok: r.right };
  }

  async hangUp(by: Device, callId: string, correlationId: string): Promise<Outcome<Committed>> {
    const r = await this.deps.calls.hangUp(by, callId, correlationId);
    return isLeft(r) ? { error: fromDomain(r.left) } : { ok: r.right };
  }

  async signal(from: Device, callId: string, payload: Uint8Array, targetDeviceId: string): Promise<Outcome<true>> {
    const refused = limited(this.signals, `${from.userId}|${from.deviceId}`, 'call_signals_per_device', 'call signals');
    if (refused !== undefined) return { error: refused };
    const r = await this.deps.calls.signal(from, callId, payload, targetDeviceId);
    return isLeft(r) ? { error: fromDomain(r.left) } : { ok: true };
  }

  /**
   * The calls ringing for this device right now, as `ringing` notices without the offer (sent when a
   * device's stream or socket opens: it asks the caller's device for the offer with a signal).
   */
  async ringingFor(userId: string, deviceId: string): Promise<CallDispatch[]> {
    const now = Date.now();
    const page = await this.deps.view.history(userId, RINGING_LOOKBACK);
    return page.calls
      .filter(
        (c) =>
          c.status === 'RINGING' &&
          c.ringUntil > now &&
          c.calleeUserId === userId &&
          c.calleeDeviceIds.includes(deviceId),
      )
      .map((c) => ({
        kind: 'ringing',
        callId: c.callId,
        callerUserId: c.callerUserId,
        callerDeviceId: c.callerDeviceId,
        calleeUserId: c.calleeUserId,
        media: c.media,
        userId: c.callerUserId,
        deviceId: c.callerDeviceId,
        toUserId: userId,
        toDeviceIds: [deviceId],
        payload: '',
        endReason: '',
        durationSeconds: 0,
        at: c.startedAt,
        seq: 0,
      }));
  }

  turn(userId: string): TurnCredentials {
    const t = this.deps.config.turn;
    return turnCredentials(this.deps.turnSecret, userId, t.ttlSeconds, t.uris, Date.now());
  }

  /** A page of the user's history; `minSeq` waits (bounded) for the view to apply that CALLS sequence. */
  async history(userId: string, limit: number, cursor: string, minSeq: number): Promise<Outcome<HistoryPage>> {
    let before: Uint8Array | undefined;
    if (cursor !== '') {
      const key = Buffer.from(cursor, 'base64url');
      before = key;
      if (key.toString('base64url') !== cursor || !this.deps.view.isHistoryKey(userId, key)) {
        return {
          error: errorResponse('INVALID_REQUEST', 'invalid request: cursor is not a next_cursor of your call history', {
            field: 'cursor',
          }),
        };
      }
    }
    if (minSeq > 0) await this.deps.progress.waitFor(minSeq, this.deps.minSeqWaitMs);
    const page = await this.deps.view.history(userId, limit, before);
    return {
      ok: {
        calls: page.calls,
        nextCursor: page.next === undefined ? '' : Buffer.from(page.next).toString('base64url'),
      },
    };
  }
}

/** A call as its user sees it in history (gRPC CallRecord shape; the WebSocket lower-cases the enums). */
export function historyEntry<T>(userId: string, c: CallRecord, toTimestamp: (ms: number) => T) {
  const outgoing = c.callerUserId === userId;
  return {
    call_id: c.callId,
    direction: outgoing ? ('OUTGOING' as const) : ('INCOMING' as const),
    peer_user_id: outgoing ? c.calleeUserId : c.callerUserId,
    media: c.media,
    state: c.status,
    end_reason: c.endReason === '' ? ('END_REASON_UNSPECIFIED' as const) : c.endReason,
    started_at: toTimestamp(c.startedAt),
    answered_at: c.answeredAt > 0 ? toTimestamp(c.answeredAt) : null,
    ended_at: c.endedAt > 0 ? toTimestamp(c.endedAt) : null,
    duration_seconds: c.durationSeconds,
    caller_user_id: c.callerUserId,
    callee_user_id: c.calleeUserId,
    caller_device_id: outgoing ? c.callerDeviceId : '',
    answered_device_id: outgoing ? '' : c.answeredDeviceId,
  };
}
