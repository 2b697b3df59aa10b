/** io-ts building blocks shared by the event codecs. */
import * as t from 'io-ts';

let rawBytes = false;

/**
 * Runs `encode` with Base64Bytes leaving bytes as they are, for the commit body,
 * which carries bytes raw beside its JSON (streams/envelope.ts).
 */
export function encodingRawBytes<T>(encode: () => T): T {
  rawBytes = true;
  try {
    return encode();
  } finally {
    rawBytes = false;
  }
}

/**
 * Bytes: in JSON views as base64 (decodes to a Uint8Array, encodes back to
 * base64); from a commit body already as bytes.
 */
export const Base64Bytes = new t.Type<Uint8Array, string, unknown>(
  'Base64Bytes',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => {
    if (u instanceof Uint8Array) return t.success(u);
    if (typeof u !== 'string' || u.length % 4 !== 0) return t.failure(u, c, 'not base64');
    // The decoder skips characters outside the alphabet and stops at padding, so a string is
    // valid base64 exactly when it decodes to the length its size and padding promise.
    const padding = u.endsWith('==') ? 2 : u.endsWith('=') ? 1 : 0;
    const bytes = Buffer.from(u, 'base64');
    return bytes.length === (u.length / 4) * 3 - padding ? t.success(bytes) : t.failure(u, c, 'not base64');
  },
  (b) => (rawBytes ? (b as unknown as string) : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')),
);

/** Milliseconds since the epoch, a non-negative safe integer. */
export const EpochMs = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'EpochMs');

export const NonEmptyString = t.refinement(t.string, (s) => s.length > 0, 'NonEmptyString');

export const Actor = t.type({ userId: t.string, deviceId: t.string });
export type Actor = t.TypeOf<typeof Actor>;
