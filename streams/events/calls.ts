/**
 * Events of the CALLS stream (calls.call.<callId>): the lifecycle of one
 * one-to-one call, never its media, session descriptions or candidates (those
 * are end-to-end encrypted blobs relayed over core NATS, docs/CALLS.md).
 *
 * - CallStarted: who calls whom from which device, audio or video, and until
 *   when it rings (`ringUntil`, ms): an answer after it is refused even before
 *   the miss is recorded.
 * - CallRinging: the callee's devices that were rung (same commit as the start).
 * - CallAnswered: the one device that answered (the first answer wins).
 * - CallRejected: the callee refused (busy or declined).
 * - CallMissed: nobody answered before `ringUntil`.
 * - CallEnded: how it ended and how long it lasted (from the answer, seconds);
 *   it follows CallRejected and CallMissed in their commit, and ends a call
 *   that is hung up.
 */
import * as t from 'io-ts';
import { EpochMs } from './codecs.ts';
import { defineEvent } from './registry.ts';

export const CallMedia = t.keyof({ AUDIO: null, VIDEO: null });
export type CallMedia = t.TypeOf<typeof CallMedia>;
export const RejectReason = t.keyof({ BUSY: null, DECLINED: null });
export type RejectReason = t.TypeOf<typeof RejectReason>;
export const EndReason = t.keyof({
  HUNG_UP: null,
  CANCELLED: null,
  REJECTED_DECLINED: null,
  REJECTED_BUSY: null,
  MISSED: null,
});
export type EndReason = t.TypeOf<typeof EndReason>;

export const CallStarted = defineEvent(
  'CallStarted',
  1,
  t.type({
    callId: t.string,
    callerUserId: t.string,
    callerDeviceId: t.string,
    calleeUserId: t.string,
    media: CallMedia,
    at: EpochMs,
    ringUntil: EpochMs,
  }),
);
export const CallRinging = defineEvent(
  'CallRinging',
  1,
  t.type({ callId: t.string, calleeDeviceIds: t.array(t.string), at: EpochMs }),
);
export const CallAnswered = defineEvent(
  'CallAnswered',
  1,
  t.type({ callId: t.string, deviceId: t.string, at: EpochMs }),
);
export const CallRejected = defineEvent(
  'CallRejected',
  1,
  t.type({ callId: t.string, deviceId: t.string, reason: RejectReason, at: EpochMs }),
);
export const CallMissed = defineEvent('CallMissed', 1, t.type({ callId: t.string, at: EpochMs }));
export const CallEnded = defineEvent(
  'CallEnded',
  1,
  t.type({
    callId: t.string,
    reason: EndReason,
    /** Who ended it (user and device); empty for a miss. */
    byUserId: t.string,
    byDeviceId: t.string,
    durationSeconds: t.number,
    at: EpochMs,
  }),
);

export const callEvents = [CallStarted, CallRinging, CallAnswered, CallRejected, CallMissed, CallEnded] as const;
