/**
 * The 1:1 conversation id of the wire contract: UUIDv5 in the nil namespace over
 * "<smaller user id>:<larger user id>". The expected ids were computed with Python's
 * `uuid.uuid5(uuid.UUID(int=0), name)`, an implementation independent of ours.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  derivedId,
  directConversationId,
  isLegacyConversationId,
  legacyDirectConversationId,
  NIL_UUID,
  UUID_PATTERN,
  uuidV5,
} from './ids.ts';

const A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

describe('UUIDv5 (RFC 9562), checked against Python uuid.uuid5', () => {
  it('gives the known ids in the nil namespace', () => {
    const vectors: [string, string][] = [
      [`${A}:${B}`, '40d1253d-f323-52fe-a695-51a2f3cc6905'],
      [
        '00000000-0000-0000-0000-000000000001:00000000-0000-0000-0000-000000000002',
        'b69ea6e5-3dc8-5745-abb7-691fda4a375b',
      ],
      [
        '3f1c0a52-8d2e-4b7a-9c51-0e6f2d9b7a11:c2d4e6f8-1a3b-4c5d-8e7f-9a0b1c2d3e4f',
        'e626a7a9-09ea-5fb0-984c-04d06aacb07d',
      ],
      ['a:b', '8093249a-f170-5037-b065-3e6751e800d1'],
      ['', 'e129f27c-5103-5c5c-844b-cdf0a15e160d'],
    ];
    for (const [name, id] of vectors) assert.equal(uuidV5(NIL_UUID, name), id, name);
  });

  it('refuses a namespace that is not a UUID', () => {
    assert.throws(() => uuidV5('nope', 'a:b'), RangeError);
  });
});

describe('the 1:1 conversation id', () => {
  it('is the contract\'s: UUIDv5(nil, "<smaller>:<larger>"), whichever user asks', () => {
    assert.equal(directConversationId(A, B), '40d1253d-f323-52fe-a695-51a2f3cc6905');
    assert.equal(directConversationId(B, A), '40d1253d-f323-52fe-a695-51a2f3cc6905');
    assert.equal(
      directConversationId('3f1c0a52-8d2e-4b7a-9c51-0e6f2d9b7a11', 'c2d4e6f8-1a3b-4c5d-8e7f-9a0b1c2d3e4f'),
      'e626a7a9-09ea-5fb0-984c-04d06aacb07d',
    );
    assert.equal(
      directConversationId('c2d4e6f8-1a3b-4c5d-8e7f-9a0b1c2d3e4f', '3f1c0a52-8d2e-4b7a-9c51-0e6f2d9b7a11'),
      'e626a7a9-09ea-5fb0-984c-04d06aacb07d',
    );
  });

  it('takes the canonical lower-case form of the user ids', () => {
    assert.equal(directConversationId(A.toUpperCase(), B), directConversationId(A, B));
    assert.match(directConversationId(A, B), UUID_PATTERN);
  });

  it('a conversation with oneself names the user twice', () => {
    assert.equal(directConversationId(A, A), uuidV5(NIL_UUID, `${A}:${A}`));
  });

  it('keeps the former id of a pair, as Guardyn derived it before, told apart by its version', () => {
    // The value the former code (derivedId('direct', smaller, larger)) gave this pair.
    assert.equal(legacyDirectConversationId(B, A), '697a4368-c5e4-8a82-abfb-8f42e3ff619d');
    assert.equal(legacyDirectConversationId(A, B), '697a4368-c5e4-8a82-abfb-8f42e3ff619d');
    assert.ok(isLegacyConversationId(legacyDirectConversationId(A, B)));
    assert.ok(!isLegacyConversationId(directConversationId(A, B)));
    assert.ok(!isLegacyConversationId('not-an-id'));
  });
});

/** The derivation as first written (a buffer, bits set, then hex): ids already stored must not change. */
function reference(...parts: string[]): string {
  const b = createHash('sha256')
    .update(parts.map((p) => `${p.length}:${p}|`).join(''))
    .digest()
    .subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = b.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

describe('derivedId', () => {
  it('gives the same ids as ever, for any parts', () => {
    assert.equal(derivedId('message', 'u1', 'c1'), reference('message', 'u1', 'c1'));
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }), (parts) => {
        const id = derivedId(...parts);
        assert.equal(id, reference(...parts));
        assert.match(id, UUID_PATTERN);
        assert.match(id, /^.{14}8.{4}[89ab]/);
      }),
      { numRuns: 500 },
    );
  });
});
