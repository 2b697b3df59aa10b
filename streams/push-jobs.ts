/**
 * Push jobs on the NOTIFICATIONS stream (work queue): one message per device
 * to wake, on `notifications.push.<userId>.<deviceId>`, consumed once by the
 * push worker. A job is content-free by construction: it names where the new
 * message is (conversation or group, stream sequence), never what it says; the
 * sender only when the recipient opted in. The push token is not in the job:
 * the worker reads the device's current token when it delivers.
 *
 * Jobs that fail beyond the retry limit are parked on
 * `notifications.parked.<userId>.<deviceId>` with their reason.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';

export const PushJob = t.intersection([
  t.type({
    /** Derived from (message sequence, user, device): JetStream drops a repeated job by it. */
    jobId: t.string,
    userId: t.string,
    deviceId: t.string,
    /** `call`: a ringing call (a VoIP push: APNs voip, FCM high priority); conversationId is then the call id. */
    kind: t.keyof({ message: null, call: null }),
    /** The conversation or group to fetch (a call: the call id). */
    conversationId: t.string,
    group: t.boolean,
    /** The message's stream sequence (fetch after it). */
    seq: t.number,
    /** The message's server time (ms); push latency is measured from it. */
    at: t.number,
  }),
  t.partial({
    /** Only when the recipient opted in to see who wrote. */
    senderUserId: t.string,
  }),
]);
export type PushJob = t.TypeOf<typeof PushJob>;

export const ParkedPush = t.type({ job: PushJob, reason: t.string, attempts: t.number, at: t.number });
export type ParkedPush = t.TypeOf<typeof ParkedPush>;

export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeJson<A>(codec: t.Decoder<unknown, A>, data: Uint8Array): A | string {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  const decoded = codec.decode(raw);
  return isLeft(decoded) ? PathReporter.report(decoded).join('; ') : decoded.right;
}
