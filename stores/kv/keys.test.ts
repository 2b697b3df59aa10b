import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bytesEqual, childPrefix, compareBytes, fromUtf8, InvalidKeyPart, key, prefixEnd, utf8 } from './keys.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const sortedBytes = (keys: Uint8Array[]) => [...keys].sort(compareBytes);

describe('key', () => {
  it('joins string parts as UTF-8 with a 0x00 separator', () => {
    assert.deepEqual(key('ab', 'c'), bytes(0x61, 0x62, 0x00, 0x63));
    assert.deepEqual(key('é'), bytes(0xc3, 0xa9));
    assert.deepEqual(key('a', ''), bytes(0x61, 0x00));
  });

  it('writes integers as 8 bytes big-endian', () => {
    assert.deepEqual(key(0), bytes(0, 0, 0, 0, 0, 0, 0, 0));
    assert.deepEqual(key(258), bytes(0, 0, 0, 0, 0, 0, 1, 2));
    assert.deepEqual(key(Number.MAX_SAFE_INTEGER), bytes(0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
    assert.deepEqual(key('n', 1), bytes(0x6e, 0x00, 0, 0, 0, 0, 0, 0, 0, 1));
  });

  it('orders integers numerically', () => {
    const numbers = [0, 1, 2, 9, 10, 255, 256, 65535, 65536, 2 ** 32, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER];
    const shuffled = [...numbers].reverse().map((n) => key('seq', n));
    assert.deepEqual(
      sortedBytes(shuffled),
      numbers.map((n) => key('seq', n)),
    );
  });

  it('orders tuples part by part: a shorter string sorts before its extensions', () => {
    const ordered = [key('a'), key('a', 'z'), key('a', 'zz'), key('ab'), key('ab', 'a'), key('b')];
    assert.deepEqual(sortedBytes([...ordered].reverse()), ordered);
  });

  it('rejects strings with NUL, and numbers that are negative, fractional or unsafe', () => {
    assert.throws(() => key('a\u0000b'), { name: 'InvalidKeyPart', index: 0, message: /NUL/ });
    assert.throws(() => key(-1), { name: 'InvalidKeyPart', message: /non-negative safe integer/ });
    assert.throws(() => key('x', 1.5), { name: 'InvalidKeyPart', index: 1 });
    assert.throws(() => key(Number.MAX_SAFE_INTEGER + 1), InvalidKeyPart);
    assert.throws(() => key(Number.NaN), InvalidKeyPart);
    assert.throws(() => key(), { name: 'InvalidKeyPart', message: /at least one part/ });
    // Never a bare RangeError: a caller can tell a refused key part from any other fault.
    assert.throws(
      () => key(2 ** 53),
      (err: unknown) => err instanceof InvalidKeyPart && !(err instanceof RangeError),
    );
  });
});

describe('childPrefix', () => {
  it('is the key followed by the separator, and so excludes siblings that extend the last part', () => {
    const prefix = childPrefix('users', 'ann');
    assert.deepEqual(prefix, bytes(...utf8('users'), 0, ...utf8('ann'), 0));
    const child = key('users', 'ann', 'device');
    const sibling = key('users', 'anna', 'device');
    const end = prefixEnd(prefix);
    assert.ok(compareBytes(prefix, child) <= 0 && compareBytes(child, end) < 0);
    assert.ok(compareBytes(sibling, end) >= 0);
  });
});

describe('prefixEnd', () => {
  it('increments the last byte', () => {
    assert.deepEqual(prefixEnd(bytes(1, 2, 3)), bytes(1, 2, 4));
    assert.deepEqual(prefixEnd(bytes(0x00)), bytes(0x01));
  });

  it('drops trailing 0xff bytes before incrementing', () => {
    assert.deepEqual(prefixEnd(bytes(1, 0xff, 0xff)), bytes(2));
    assert.deepEqual(prefixEnd(bytes(0x7f, 0xff)), bytes(0x80));
  });

  it('bounds every key with the prefix and nothing between', () => {
    const prefix = bytes(5, 0xfe, 0xff);
    const end = prefixEnd(prefix);
    for (const k of [prefix, bytes(5, 0xfe, 0xff, 0), bytes(5, 0xfe, 0xff, 0xff, 0xff, 0xff)]) {
      assert.ok(compareBytes(k, end) < 0, `${Buffer.from(k).toString('hex')} should sort before the end`);
    }
    assert.deepEqual(end, bytes(5, 0xff));
  });

  it('does not modify its argument', () => {
    const prefix = bytes(1, 2);
    prefixEnd(prefix);
    assert.deepEqual(prefix, bytes(1, 2));
  });

  it('throws when no key bounds the prefix', () => {
    assert.throws(() => prefixEnd(bytes()), RangeError);
    assert.throws(() => prefixEnd(bytes(0xff, 0xff)), RangeError);
  });
});

describe('compareBytes and bytesEqual', () => {
  it('compares as unsigned bytes, a prefix first', () => {
    assert.equal(compareBytes(bytes(1), bytes(1, 0)), -1);
    assert.equal(compareBytes(bytes(1, 0), bytes(2)), -1);
    assert.equal(compareBytes(bytes(0x7f), bytes(0x80)), -1);
    assert.equal(compareBytes(bytes(0xff), bytes(0x00, 0xff)), 1);
    assert.equal(compareBytes(bytes(3, 4), bytes(3, 4)), 0);
  });

  it('tells equal from unequal contents', () => {
    assert.equal(bytesEqual(bytes(1, 2), bytes(1, 2)), true);
    assert.equal(bytesEqual(bytes(1, 2), bytes(1, 3)), false);
    assert.equal(bytesEqual(bytes(1), bytes(1, 0)), false);
  });
});

describe('utf8 and fromUtf8', () => {
  it('round-trip text', () => {
    for (const text of ['', 'plain', 'ünïcødé', '🙂 emoji']) assert.equal(fromUtf8(utf8(text)), text);
    assert.deepEqual(utf8('€'), bytes(0xe2, 0x82, 0xac));
  });

  it('rejects invalid UTF-8', () => {
    assert.throws(() => fromUtf8(bytes(0xc3)), TypeError);
  });
});
