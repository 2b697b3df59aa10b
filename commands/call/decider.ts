/**
 * The call aggregate (subject calls.call.<callId>): one one-to-one call. Pure:
 * the callee's devices, the clock and the ring deadline travel in the commands.
 *
 * Life: RINGING (started, the callee's devices ring) → ACTIVE (one device
 * answered: the first answer wins) → ENDED (hung up); or RINGING → ENDED
 * (rejected, cancelled by the caller, missed). Who may do what:
 * - answer, reject: a device of the callee that was rung, while ringing and
 *   before the ring deadline;
 * - hang up: while ringing, the caller's device (cancelled) or a rung callee
 *   device (declined); once answered, the caller's device or the answering one;
 * - miss: the server, once the ring deadline passed (earlier: nothing changes).
 * A device outside the call is told NOT_FOUND (it learns nothing of the call);
 * acting on an ended call, or answering an answered one, is a CONFLICT.
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type {
  CallAnswered,
  CallEnded,
  CallMissed,
  CallRejected,
  CallRinging,
  CallStarted,
  CallMedia,
  EndReason,
  RejectReason,
} from '../../streams/events/calls.ts';
import type { EventOf } from '../../streams/events/registry.ts';
import { domainError, type Decider, type DomainError } from '../handler/decider.ts';

export type CallEvent = EventOf<
  | typeof CallStarted
  | typeof CallRinging
  | typeof CallAnswered
  | typeof CallRejected
  | typeof CallMissed
  | typeof CallEnded
>;

export type CallStatus = 'RINGING' | 'ACTIVE' | 'ENDED';

/** Everything recorded of one call (the aggregate's state; the history view keeps the same facts). */
export interface CallRecord {
  readonly callId: string;
  readonly callerUserId: string;
  readonly callerDeviceId: string;
  readonly calleeUserId: string;
  readonly media: CallMedia;
  readonly startedAt: number;
  readonly ringUntil: number;
  readonly calleeDeviceIds: readonly string[];
  readonly status: CallStatus;
  readonly answeredDeviceId: string;
  readonly answeredAt: number;
  readonly endReason: EndReason | '';
  readonly endedAt: number;
  readonly durationSeconds: number;
}

export type CallState = CallRecord | null;

export interface Device {
  readonly userId: string;
  readonly deviceId: string;
}

export interface StartCall {
  readonly kind: 'StartCall';
  readonly callId: string;
  readonly caller: Device;
  readonly calleeUserId: string;
  /** The callee's devices to ring (none: the callee has no device; the call still rings until missed). */
  readonly calleeDeviceIds: readonly string[];
  readonly media: CallMedia;
  readonly at: number;
  readonly ringTimeoutMs: number;
}
export interface AnswerCall {
  readonly kind: 'AnswerCall';
  readonly by: Device;
  readonly at: number;
}
export interface RejectCall {
  readonly kind: 'RejectCall';
  readonly by: Device;
  readonly reason: RejectReason;
  readonly at: number;
}
export interface HangUp {
  readonly kind: 'HangUp';
  readonly by: Device;
  readonly at: number;
}
export interface MissCall {
  readonly kind: 'MissCall';
  readonly at: number;
}

export type CallCommand = StartCall | AnswerCall | RejectCall | HangUp | MissCall;

export const CALL_NOT_FOUND = domainError('NOT_FOUND', 'no such call for this device', 'call_id');
const ENDED = domainError('CONFLICT', 'the call has ended', 'call_id');

/** Whether the device takes part in the call (the caller's device, a rung callee device). */
export function isInCall(call: CallRecord, device: Device): boolean {
  return (
    (device.userId === call.callerUserId && device.deviceId === call.callerDeviceId) ||
    (device.userId === call.calleeUserId && call.calleeDeviceIds.includes(device.deviceId))
  );
}

const isCaller = (call: CallRecord, d: Device) => d.userId === call.callerUserId && d.deviceId === call.callerDeviceId;
const isRungCallee = (call: CallRecord, d: Device) =>
  d.userId === call.calleeUserId && call.calleeDeviceIds.includes(d.deviceId);

function ended(call: CallRecord, reason: EndReason, by: Device | null, at: number): CallEvent {
  const durationSeconds = call.status === 'ACTIVE' ? Math.max(0, Math.floor((at - call.answeredAt) / 1000)) : 0;
  return {
    type: 'CallEnded',
    data: {
      callId: call.callId,
      reason,
      byUserId: by?.userId ?? '',
      byDeviceId: by?.deviceId ?? '',
      durationSeconds,
      at,
    },
  };
}

function decide(command: CallCommand, state: CallState): Either<DomainError, readonly CallEvent[]> {
  if (command.kind === 'StartCall') {
    if (state !== null) return left(domainError('CONFLICT', 'a call with this id exists', 'call_id'));
    if (command.calleeUserId === command.caller.userId)
      return left(
        domainError(
          'INVALID_REQUEST',
          'invalid request: callee_user_id must be another user (you cannot call yourself)',
          'callee_user_id',
        ),
      );
    const { callId, caller, at } = command;
    return right([
      {
        type: 'CallStarted',
        data: {
          callId,
          callerUserId: caller.userId,
          callerDeviceId: caller.deviceId,
          calleeUserId: command.calleeUserId,
          media: command.media,
          at,
          ringUntil: at + command.ringTimeoutMs,
        },
      },
      { type: 'CallRinging', data: { callId, calleeDeviceIds: [...command.calleeDeviceIds], at } },
    ]);
  }
  if (state === null)
    return left(command.kind === 'MissCall' ? domainError('NOT_FOUND', 'no such call', 'call_id') : CALL_NOT_FOUND);
  const call = state;
  switch (command.kind) {
    case 'MissCall':
      if (call.status !== 'RINGING' || command.at < call.ringUntil) return right([]);
      return right([
        { type: 'CallMissed', data: { callId: call.callId, at: command.at } },
        ended(call, 'MISSED', null, command.at),
      ]);
    case 'AnswerCall': {
      if (!isRungCallee(call, command.by)) return left(CALL_NOT_FOUND);
      if (call.status === 'ENDED') return left(ENDED);
      if (call.status === 'ACTIVE') {
        return call.answeredDeviceId === command.by.deviceId
          ? right([])
          : left(domainError('CONFLICT', 'the call was answered on another device', 'call_id'));
      }
      if (command.at >= call.ringUntil)
        return left(domainError('CONFLICT', 'the call is no longer ringing (missed)', 'call_id'));
      return right([
        { type: 'CallAnswered', data: { callId: call.callId, deviceId: command.by.deviceId, at: command.at } },
      ]);
    }
    case 'RejectCall': {
      if (!isRungCallee(call, command.by)) return left(CALL_NOT_FOUND);
      if (call.status === 'ENDED') return left(ENDED);
      if (call.status === 'ACTIVE')
        return left(domainError('CONFLICT', 'the call was answered: hang up instead', 'call_id'));
      const reason: EndReason = command.reason === 'BUSY' ? 'REJECTED_BUSY' : 'REJECTED_DECLINED';
      return right([
        {
          type: 'CallRejected',
          data: { callId: call.callId, deviceId: command.by.deviceId, reason: command.reason, at: command.at },
        },
        ended(call, reason, command.by, command.at),
      ]);
    }
    case 'HangUp': {
      const by = command.by;
      if (!isInCall(call, by)) return left(CALL_NOT_FOUND);
      if (call.status === 'ENDED') return left(ENDED);
      if (call.status === 'RINGING') {
        if (isCaller(call, by)) return right([ended(call, 'CANCELLED', by, command.at)]);
        return right([
          {
            type: 'CallRejected',
            data: { callId: call.callId, deviceId: by.deviceId, reason: 'DECLINED', at: command.at },
          },
          ended(call, 'REJECTED_DECLINED', by, command.at),
        ]);
      }
      if (!isCaller(call, by) && call.answeredDeviceId !== by.deviceId)
        return left(domainError('CONFLICT', 'the call was answered on another device', 'call_id'));
      return right([ended(call, 'HUNG_UP', by, command.at)]);
    }
  }
}

function evolve(state: CallState, event: CallEvent): CallState {
  switch (event.type) {
    case 'CallStarted': {
      const d = event.data;
      return {
        callId: d.callId,
        callerUserId: d.callerUserId,
        callerDeviceId: d.callerDeviceId,
        calleeUserId: d.calleeUserId,
        media: d.media,
        startedAt: d.at,
        ringUntil: d.ringUntil,
        calleeDeviceIds: [],
        status: 'RINGING',
        answeredDeviceId: '',
        answeredAt: 0,
        endReason: '',
        endedAt: 0,
        durationSeconds: 0,
      };
    }
    case 'CallRinging':
      return (
        state && { ...state, calleeDeviceIds: [...new Set([...state.calleeDeviceIds, ...event.data.calleeDeviceIds])] }
      );
    case 'CallAnswered':
      return state && { ...state, status: 'ACTIVE', answeredDeviceId: event.data.deviceId, answeredAt: event.data.at };
    case 'CallRejected':
    case 'CallMissed':
      return state;
    case 'CallEnded':
      return (
        state && {
          ...state,
          status: 'ENDED',
          endReason: event.data.reason,
          endedAt: event.data.at,
          durationSeconds: event.data.durationSeconds,
        }
      );
  }
}

export const callDecider: Decider<CallCommand, CallEvent, CallState> = { initialState: null, decide, evolve };
