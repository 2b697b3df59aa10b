/**
 * Hostile input for the property-based tests of the gateways (fast-check): the
 * names an object finds on its prototype, random JSON and random bytes. A
 * lookup keyed by client input must treat every one of them as unknown.
 */
import fc from 'fast-check';

/** Every name a plain object answers through its prototype, and the special keys of JSON objects. */
export const PROTOTYPE_KEYS: readonly string[] = [
  ...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype', 'constructor']),
];

/** Runs per property: enough to explore, few enough that `npm test` stays fast. */
export const RUNS = { numRuns: 200 } as const;
/** Runs per property that goes through a socket. */
export const NETWORK_RUNS = { numRuns: 60 } as const;

/** A key a client may choose: a prototype name (often), or any string. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
);

/** A JSON object whose keys are hostile, values any JSON. */
export const hostileObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  hostileKey,
  fc.jsonValue({ maxDepth: 3 }),
  { maxKeys: 6 },
);

/** Random bytes (up to 256). */
export const randomBytes: fc.Arbitrary<Buffer> = fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b));

/**
 * JSON text with `__proto__` as an own key, as a client can send it (JSON.stringify of an object
 * never writes one: assigning `__proto__` sets the prototype instead).
 */
export function jsonWithOwnProto(inner: unknown, around: Record<string, unknown> = {}): string {
  const rest = JSON.stringify(around);
  return `{"__proto__":${JSON.stringify(inner)}${rest === '{}' ? '' : `,${rest.slice(1, -1)}`}}`;
}
