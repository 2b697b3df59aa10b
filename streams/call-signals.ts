/**
 * Call events and signals for a user's devices, on core NATS
 * (`calls.user.<userId>`), never stored: the CALLS stream (subject
 * calls.call.<callId>) holds the lifecycle; what devices are told (a ring with
 * the caller's encrypted offer, the answer, candidates) is relayed here, so
 * every gateway instance with a device of the user hears it. A dispatch names
 * the devices it is for (`toDeviceIds`; empty: every device of the user).
 *
 * Payloads (offer, answer, signal) are end-to-end encrypted blobs, carried as
 * base64 and never looked into.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { SharedSubscriptions } from './shared-subscriptions.ts';
import type { Signals } from './signals.ts';
import { subjects } from './subjects.ts';

export const CALL_DISPATCH_KINDS = [
  'ringing',
  'answered',
  'answered_elsewhere',
  'rejected',
  'missed',
  'ended',
  'signal',
] as const;
export type CallDispatchKind = (typeof CALL_DISPATCH_KINDS)[number];

export const CallDispatch = t.type({
  kind: t.keyof(Object.fromEntries(CALL_DISPATCH_KINDS.map((k) => [k, null])) as Record<CallDispatchKind, null>),
  callId: t.string,
  callerUserId: t.string,
  callerDeviceId: t.string,
  calleeUserId: t.string,
  media: t.string,
  /** Who caused it (the caller for a ring, the answering device, the sender of a signal, ...). */
  userId: t.string,
  deviceId: t.string,
  toUserId: t.string,
  /** The devices of toUserId it is for; empty: all of them. */
  toDeviceIds: t.array(t.string),
  /** base64 of the encrypted blob ('' when none). */
  payload: t.string,
  /** EndReason for rejected, missed and ended ('' otherwise). */
  endReason: t.string,
  durationSeconds: t.number,
  at: t.number,
  /** CALLS stream sequence of the lifecycle event; 0 for signals. */
  seq: t.number,
});
export type CallDispatch = t.TypeOf<typeof CallDispatch>;

/** Publishes one dispatch (fire and forget: core NATS, at most once). */
export function publishCallDispatch(signals: Signals, d: CallDispatch): void {
  signals.publish(subjects.callUser(d.toUserId), JSON.stringify(d));
}

export function decodeCallDispatch(data: Uint8Array): CallDispatch | undefined {
  try {
    const decoded = CallDispatch.decode(
      JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')),
    );
    return isLeft(decoded) ? undefined : decoded.right;
  } catch {
    return undefined;
  }
}

/** The call dispatches for the devices of a user: one NATS subscription per user in this process. */
export class CallRelay {
  private readonly subscriptions: SharedSubscriptions<CallDispatch>;

  constructor(private readonly signals: Signals) {
    this.subscriptions = new SharedSubscriptions(signals, decodeCallDispatch);
  }

  /** Calls `listener` with every dispatch for this device; resolves once the server has the subscription. */
  async listen(userId: string, deviceId: string, listener: (d: CallDispatch) => void): Promise<() => void> {
    const stop = this.subscriptions.listen(subjects.callUser(userId), (d) => {
      if (d.toUserId === userId && (d.toDeviceIds.length === 0 || d.toDeviceIds.includes(deviceId))) listener(d);
    });
    await this.signals.flush();
    return stop;
  }

  publish(d: CallDispatch): void {
    publishCallDispatch(this.signals, d);
  }
}
