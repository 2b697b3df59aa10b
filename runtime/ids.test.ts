import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { derivedId, UUID_PATTERN } from './ids.ts';

/** The derivation as first written (a buffer, bits set, then hex): ids already stored must not change. */
function reference(...parts: string[]): string {
  const b = createHash('sha256').update(parts.map((p) => `${p.length}:${p}|`).join('')).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = b.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

describe('derivedId', () => {
  it('gives the same ids as ever, for any parts', () => {
    assert.equal(derivedId('message', 'u1', 'c1'), reference('message', 'u1', 'c1'));
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }), (parts) => {
      const id = derivedId(...parts);
      assert.equal(id, reference(...parts));
      assert.match(id, UUID_PATTERN);
      assert.match(id, /^.{14}8.{4}[89ab]/);
    }), { numRuns: 500 });
  });
});
