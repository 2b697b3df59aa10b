/** io-ts building blocks shared by the event codecs. */
import * as t from 'io-ts';

/** Bytes carried in JSON as base64: decodes to a Uint8Array, encodes back to base64. */
export const Base64Bytes = new t.Type<Uint8Array, string, unknown>(
  'Base64Bytes',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => {
    if (typeof u !== 'string' || u.length % 4 !== 0) return t.failure(u, c, 'not base64');
    // The decoder skips characters outside the alphabet and stops at padding, so a string is
    // valid base64 exactly when it decodes to the length its size and padding promise.
    const padding = u.endsWith('==') ? 2 : u.endsWith('=') ? 1 : 0;
    const bytes = Buffer.from(u, 'base64');
    return bytes.length === (u.length / 4) * 3 - padding ? t.success(bytes) : t.failure(u, c, 'not base64');
  },
  (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'),
);

/** Milliseconds since the epoch, a non-negative safe integer. */
export const EpochMs = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'EpochMs');

export const NonEmptyString = t.refinement(t.string, (s) => s.length > 0, 'NonEmptyString');

export const Actor = t.type({ userId: t.string, deviceId: t.string });
export type Actor = t.TypeOf<typeof Actor>;
