/**
 * The call history view: each call's record (the call aggregate's state) and,
 * for each of its two users, an index newest first.
 *
 *   calls/id/<callId>                          → CallRecord (JSON)
 *   calls/user/<userId>/<startedAt>/<callId>   → 1
 *   calls/ringing/<callId>                     → ring deadline (ms, decimal) while the call rings
 */
import * as t from 'io-ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { recordCodec } from '../runtime/view-codec.ts';
import type { CallRecord } from '../../commands/call/decider.ts';

export const callKeys = {
  record: (callId: string) => key('calls', 'id', callId),
  byUser: (userId: string, startedAt: number, callId: string) => key('calls', 'user', userId, startedAt, callId),
  userPrefix: (userId: string) => childPrefix('calls', 'user', userId),
  ringing: (callId: string) => key('calls', 'ringing', callId),
  ringingAll: () => childPrefix('calls', 'ringing'),
  prefixes: [childPrefix('calls')],
} as const;

const Media = t.keyof({ AUDIO: null, VIDEO: null });
const Status = t.keyof({ RINGING: null, ACTIVE: null, ENDED: null });
const End = t.keyof({
  '': null,
  HUNG_UP: null,
  CANCELLED: null,
  REJECTED_DECLINED: null,
  REJECTED_BUSY: null,
  MISSED: null,
});

export const CallRecordCodec: t.Type<CallRecord, unknown, unknown> = t.type({
  callId: t.string,
  callerUserId: t.string,
  callerDeviceId: t.string,
  calleeUserId: t.string,
  media: Media,
  startedAt: t.number,
  ringUntil: t.number,
  calleeDeviceIds: t.readonlyArray(t.string),
  status: Status,
  answeredDeviceId: t.string,
  answeredAt: t.number,
  endReason: End,
  endedAt: t.number,
  durationSeconds: t.number,
}) as unknown as t.Type<CallRecord, unknown, unknown>;

export const callRecord = recordCodec('call', CallRecordCodec);
