/**
 * Delivery receipts: "a device of the recipient has received these messages",
 * signalled to the sender on core NATS (`receipts.delivered.<senderUserId>`,
 * never stored) by the device feed that handed the messages out, so every
 * gateway instance with a socket of the sender can show it at once. The lasting
 * record is the recipient device's delivery cursor (GetMessages' DELIVERED);
 * a lost signal only delays what the sender sees until it reads history.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Signals } from './signals.ts';
import { token } from './subjects.ts';

export const deliveredSubject = (senderUserId: string): string =>
  `receipts.delivered.${token(senderUserId, 'user id')}`;

const DeliverySignal = t.type({
  senderUserId: t.string,
  recipientUserId: t.string,
  recipientDeviceId: t.string,
  conversationId: t.string,
  messageIds: t.array(t.string),
  /** ms since the epoch */
  at: t.number,
});
export type DeliverySignal = t.TypeOf<typeof DeliverySignal>;

export function publishDelivered(signals: Signals, signal: DeliverySignal): void {
  if (signals.closed) return;
  try {
    signals.publish(deliveredSubject(signal.senderUserId), JSON.stringify(signal));
  } catch {
    // not a valid subject token, or the connection is draining: a hint only
  }
}

export function decodeDelivered(data: Uint8Array): DeliverySignal | undefined {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
  const r = DeliverySignal.decode(v);
  return isLeft(r) ? undefined : r.right;
}
