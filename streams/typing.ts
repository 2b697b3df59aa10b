/**
 * Typing indicators: ephemeral signals on core NATS, never stored. A signal to
 * a user is published on `typing.user.<recipientUserId>`; no JetStream stream
 * captures `typing.>` (streams/specs.ts), so nothing keeps it, and a gateway
 * (WebSocket, presence Subscribe) with a subscription for the user relays it.
 * A signal nobody listens to is simply dropped, as typing hints may be.
 */
import type { Signals, Unsubscribe } from './signals.ts';
import { token } from './subjects.ts';

export const TYPING_SUBJECT_PREFIX = 'typing.user.';

export const typingSubject = (recipientUserId: string): string =>
  `${TYPING_SUBJECT_PREFIX}${token(recipientUserId, 'user id')}`;

/** The JSON payload of a typing signal. */
export interface TypingSignal {
  readonly fromUserId: string;
  readonly fromDeviceId: string;
  readonly toUserId: string;
  /** The 1:1 conversation of the two users. */
  readonly conversationId: string;
  readonly isTyping: boolean;
  /** Server time, ms. */
  readonly at: number;
}

/** Publishes one signal (fire and forget: core NATS, at most once). */
export function publishTyping(signals: Signals, signal: TypingSignal): void {
  signals.publish(typingSubject(signal.toUserId), JSON.stringify(signal));
}

/**
 * Calls `listener` with every well-formed typing signal to `recipientUserId`,
 * or to anybody when it is undefined; returns the unsubscribe.
 */
export function subscribeTyping(
  signals: Signals,
  recipientUserId: string | undefined,
  listener: (signal: TypingSignal) => void,
): Unsubscribe {
  const subject = recipientUserId === undefined ? `${TYPING_SUBJECT_PREFIX}>` : typingSubject(recipientUserId);
  return signals.subscribe(subject, (s) => {
    const signal = decodeTyping(s.data);
    if (signal !== undefined) listener(signal);
  });
}

/** A received payload as a signal, or undefined when it is not one. */
export function decodeTyping(data: Uint8Array): TypingSignal | undefined {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const strings = ['fromUserId', 'fromDeviceId', 'toUserId', 'conversationId'].every((k) => typeof o[k] === 'string');
  if (!strings || typeof o['isTyping'] !== 'boolean' || typeof o['at'] !== 'number') return undefined;
  return o as unknown as TypingSignal;
}
