/**
 * The call use cases: start, answer, reject, hang up, miss, relay a signal.
 * Each lifecycle step is a command on the call's subject of the CALLS stream
 * (./decider.ts decides); what the devices are told goes out afterwards
 * over core NATS (streams/call-signals.ts) with the commit's sequence, and the
 * encrypted blobs (offer, answer, signals) only ever travel there.
 *
 * - A caller rings only a user who may see them, by the presence rule
 *   (`CallVisibility`): otherwise FORBIDDEN and nothing is recorded.
 * - The ring deadline is in the call's start; this process commits the miss
 *   when it passes (a timer per ringing call it started). A call whose starter
 *   died ringing is refused answers after the deadline all the same, and
 *   `sweepOverdue` (run at start and periodically) records its miss.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import type { CallDispatch, CallDispatchKind } from '../../streams/call-signals.ts';
import type { CallMedia, RejectReason } from '../../streams/events/calls.ts';
import { derivedId, newId } from '../../runtime/ids.ts';
import type { CommandHandler } from '../handler/handler.ts';
import { accountDecider } from '../account/decider.ts';
import { domainError, type DomainError } from '../handler/decider.ts';
import {
  CALL_NOT_FOUND,
  callDecider,
  isInCall,
  type CallCommand,
  type CallEvent,
  type CallRecord,
  type Device,
} from './decider.ts';

/** Who may see whom (the presence view's visibility rule). */
export interface CallVisibility {
  canSee(viewerUserId: string, subjectUserId: string): Promise<boolean>;
}

/** Where device notices go (core NATS in production). */
export interface CallNotices {
  publish(d: CallDispatch): void;
}

export interface CallLimits {
  readonly ringTimeoutMs: number;
}

export interface CallDeps {
  readonly handler: CommandHandler;
  readonly visibility: CallVisibility;
  readonly notices: CallNotices;
  readonly limits: CallLimits;
  /** Whether a device of the user has a live connection (for `callee_online`); absent: unknown (false). */
  readonly isOnline?: (userId: string) => boolean;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface StartedCall {
  readonly call: CallRecord;
  readonly seq: number;
  readonly calleeOnline: boolean;
}

export interface Committed {
  readonly call: CallRecord;
  readonly seq: number;
}

export interface StartRequest {
  readonly calleeUserId: string;
  readonly media: CallMedia;
  readonly offer: Uint8Array;
  /** Offers encrypted for one callee device each (device id → blob). */
  readonly deviceOffers: ReadonlyMap<string, Uint8Array>;
  /** Idempotency key of the caller ('' when none). */
  readonly clientCallId: string;
}

const b64 = (bytes: Uint8Array | undefined): string =>
  bytes === undefined || bytes.length === 0
    ? ''
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** The active devices of a user (undefined: no such user). */
async function devicesOf(deps: Pick<CallDeps, 'handler'>, userId: string): Promise<string[] | undefined> {
  const { state } = await deps.handler.load(STREAMS.accounts, subjects.user(userId), accountDecider);
  if (!state.registered || state.deleted) return undefined;
  return [...state.devices.keys()];
}

export async function loadCall(
  deps: Pick<CallDeps, 'handler'>,
  callId: string,
): Promise<{ call: CallRecord | null; seq: number }> {
  const loaded = await deps.handler.load(STREAMS.calls, subjects.call(callId), callDecider);
  return { call: loaded.state, seq: loaded.seq };
}

function commit(
  deps: CallDeps,
  callId: string,
  command: CallCommand,
  actor: Device | null,
  correlationId: string,
  commandId = newId(),
) {
  return deps.handler.handle({
    stream: STREAMS.calls,
    subject: subjects.call(callId),
    decider: callDecider,
    command,
    meta: {
      commandId,
      command: command.kind,
      correlationId,
      causationId: correlationId,
      actor: actor && { userId: actor.userId, deviceId: actor.deviceId },
    },
  });
}

/** The common part of a notice about `call`. */
function notice(
  call: CallRecord,
  kind: CallDispatchKind,
  by: { userId: string; deviceId: string },
  to: { userId: string; deviceIds: readonly string[] },
  at: number,
  seq: number,
  extra: Partial<CallDispatch> = {},
): CallDispatch {
  return {
    kind,
    callId: call.callId,
    callerUserId: call.callerUserId,
    callerDeviceId: call.callerDeviceId,
    calleeUserId: call.calleeUserId,
    media: call.media,
    userId: by.userId,
    deviceId: by.deviceId,
    toUserId: to.userId,
    toDeviceIds: [...to.deviceIds],
    payload: '',
    endReason: '',
    durationSeconds: 0,
    at,
    seq,
    ...extra,
  };
}

export class CallService {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly deps: CallDeps) {
    this.now = deps.now ?? Date.now;
  }

  async start(caller: Device, req: StartRequest, correlationId: string): Promise<Either<DomainError, StartedCall>> {
    const { deps } = this;
    if (req.calleeUserId === caller.userId)
      return left(
        domainError(
          'INVALID_REQUEST',
          'invalid request: callee_user_id must be another user (you cannot call yourself)',
          'callee_user_id',
        ),
      );
    const devices = await devicesOf(deps, req.calleeUserId);
    if (devices === undefined) return left(domainError('NOT_FOUND', 'user not found', 'callee_user_id'));
    if (!(await deps.visibility.canSee(req.calleeUserId, caller.userId))) {
      return left(
        domainError(
          'FORBIDDEN',
          'you cannot call this user: they cannot see you (you share no conversation or group)',
          'callee_user_id',
        ),
      );
    }
    for (const id of req.deviceOffers.keys()) {
      if (!devices.includes(id))
        return left(
          domainError(
            'INVALID_REQUEST',
            'invalid request: device_offers names a device the callee does not have',
            'device_offers',
          ),
        );
    }
    const callId = req.clientCallId === '' ? newId() : derivedId('call', caller.userId, req.clientCallId);
    const at = this.now();
    const result = await commit(
      deps,
      callId,
      {
        kind: 'StartCall',
        callId,
        caller,
        calleeUserId: req.calleeUserId,
        calleeDeviceIds: devices,
        media: req.media,
        at,
        ringTimeoutMs: deps.limits.ringTimeoutMs,
      },
      caller,
      correlationId,
      callId,
    );
    if (isLeft(result)) return result;
    const { call } = await loadCall(deps, callId);
    if (call === null) throw new Error(`call ${callId} committed but not loaded`);
    if (call.callerUserId !== caller.userId) return left(CALL_NOT_FOUND);
    const seq = result.right.seq;
    if (!result.right.duplicate) {
      // Devices with their own offer get it; the others share `offer`.
      const shared = devices.filter((d) => !req.deviceOffers.has(d));
      if (shared.length > 0)
        deps.notices.publish(
          notice(call, 'ringing', caller, { userId: call.calleeUserId, deviceIds: shared }, at, seq, {
            payload: b64(req.offer),
          }),
        );
      for (const [deviceId, offer] of req.deviceOffers)
        deps.notices.publish(
          notice(call, 'ringing', caller, { userId: call.calleeUserId, deviceIds: [deviceId] }, at, seq, {
            payload: b64(offer),
          }),
        );
      deps.notices.publish(
        notice(call, 'ringing', caller, { userId: call.callerUserId, deviceIds: [call.callerDeviceId] }, at, seq),
      );
      this.scheduleMiss(call);
    }
    return right({ call, seq, calleeOnline: deps.isOnline?.(call.calleeUserId) ?? false });
  }

  async answer(
    by: Device,
    callId: string,
    answer: Uint8Array,
    correlationId: string,
  ): Promise<Either<DomainError, Committed>> {
    const { deps } = this;
    const at = this.now();
    const result = await commit(deps, callId, { kind: 'AnswerCall', by, at }, by, correlationId);
    if (isLeft(result)) return result;
    const { call, seq } = await loadCall(deps, callId);
    if (call === null) return left(CALL_NOT_FOUND);
    if (result.right.events.length > 0) {
      this.clearMiss(callId);
      deps.notices.publish(
        notice(call, 'answered', by, { userId: call.callerUserId, deviceIds: [call.callerDeviceId] }, at, seq, {
          payload: b64(answer),
        }),
      );
      const others = call.calleeDeviceIds.filter((d) => d !== by.deviceId);
      if (others.length > 0)
        deps.notices.publish(
          notice(call, 'answered_elsewhere', by, { userId: call.calleeUserId, deviceIds: others }, at, seq),
        );
    }
    return right({ call, seq });
  }

  reject(
    by: Device,
    callId: string,
    reason: RejectReason,
    correlationId: string,
  ): Promise<Either<DomainError, Committed>> {
    return this.end(by, callId, { kind: 'RejectCall', by, reason, at: this.now() }, correlationId);
  }

  hangUp(by: Device, callId: string, correlationId: string): Promise<Either<DomainError, Committed>> {
    return this.end(by, callId, { kind: 'HangUp', by, at: this.now() }, correlationId);
  }

  /** Records the miss of a call whose ring deadline passed (nothing when it did not, or the call moved on). */
  async miss(callId: string, correlationId = newId()): Promise<void> {
    await this.end(null, callId, { kind: 'MissCall', at: this.now() }, correlationId);
  }

  /**
   * Relays an encrypted signal from a device in the call to the other party: from the caller to the
   * rung callee devices (the answering one once answered), from a callee device to the caller's.
   */
  async signal(
    from: Device,
    callId: string,
    payload: Uint8Array,
    targetDeviceId: string,
  ): Promise<Either<DomainError, void>> {
    const { call } = await loadCall(this.deps, callId);
    if (call === null || call.status === 'ENDED' || !isInCall(call, from)) return left(CALL_NOT_FOUND);
    const fromCaller = from.userId === call.callerUserId && from.deviceId === call.callerDeviceId;
    if (!fromCaller && call.status === 'ACTIVE' && call.answeredDeviceId !== from.deviceId) return left(CALL_NOT_FOUND);
    let to: { userId: string; deviceIds: readonly string[] };
    if (fromCaller) {
      const devices = call.status === 'ACTIVE' ? [call.answeredDeviceId] : call.calleeDeviceIds;
      if (targetDeviceId !== '' && !devices.includes(targetDeviceId))
        return left(domainError('NOT_FOUND', 'the target device is not in this call', 'target_device_id'));
      to = { userId: call.calleeUserId, deviceIds: targetDeviceId === '' ? devices : [targetDeviceId] };
    } else {
      if (targetDeviceId !== '' && targetDeviceId !== call.callerDeviceId)
        return left(domainError('NOT_FOUND', 'the target device is not in this call', 'target_device_id'));
      to = { userId: call.callerUserId, deviceIds: [call.callerDeviceId] };
    }
    this.deps.notices.publish(notice(call, 'signal', from, to, this.now(), 0, { payload: b64(payload) }));
    return right(undefined);
  }

  /** Records the miss of every call of `ringing` whose deadline passed (calls whose starter died ringing). */
  async sweepOverdue(ringing: readonly { readonly callId: string; readonly ringUntil: number }[]): Promise<number> {
    let n = 0;
    for (const c of ringing) {
      if (c.ringUntil > this.now() || this.timers.has(c.callId)) continue;
      await this.miss(c.callId).catch((err: Error) =>
        this.deps.logger.warn({ err: err.message, callId: c.callId }, 'recording a missed call failed'),
      );
      n++;
    }
    return n;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private scheduleMiss(call: CallRecord): void {
    if (this.stopped) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(call.callId);
        this.miss(call.callId).catch((err: Error) =>
          this.deps.logger.warn({ err: err.message, callId: call.callId }, 'recording a missed call failed'),
        );
      },
      Math.max(0, call.ringUntil - this.now()),
    );
    timer.unref();
    this.timers.set(call.callId, timer);
  }

  private clearMiss(callId: string): void {
    const timer = this.timers.get(callId);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(callId);
  }

  /** Commits an end (reject, hang-up, miss) and tells both sides. */
  private async end(
    by: Device | null,
    callId: string,
    command: CallCommand,
    correlationId: string,
  ): Promise<Either<DomainError, Committed>> {
    const { deps } = this;
    const result = await commit(deps, callId, command, by, correlationId);
    if (isLeft(result)) return result;
    const { call, seq } = await loadCall(deps, callId);
    if (call === null) return left(CALL_NOT_FOUND);
    const events = result.right.events as readonly CallEvent[];
    const endedEvent = events.find((e) => e.type === 'CallEnded');
    if (endedEvent !== undefined && endedEvent.type === 'CallEnded') {
      this.clearMiss(callId);
      const d = endedEvent.data;
      const kind: CallDispatchKind = events.some((e) => e.type === 'CallRejected')
        ? 'rejected'
        : events.some((e) => e.type === 'CallMissed')
          ? 'missed'
          : 'ended';
      const actor = { userId: d.byUserId, deviceId: d.byDeviceId };
      const extra = { endReason: d.reason, durationSeconds: d.durationSeconds };
      const calleeDevices = call.answeredDeviceId !== '' ? [call.answeredDeviceId] : call.calleeDeviceIds;
      deps.notices.publish(
        notice(call, kind, actor, { userId: call.callerUserId, deviceIds: [call.callerDeviceId] }, d.at, seq, extra),
      );
      if (calleeDevices.length > 0)
        deps.notices.publish(
          notice(call, kind, actor, { userId: call.calleeUserId, deviceIds: calleeDevices }, d.at, seq, extra),
        );
    }
    return right({ call, seq });
  }
}
