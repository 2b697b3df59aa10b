/**
 * Every sequence, page and count field of a request is held to a range the
 * code can use: whatever integer a client sends (any uint64 or int32 the wire
 * can carry, as proto-loader hands it over), the codec either accepts a value
 * that the views can build keys from, or refuses with INVALID_REQUEST naming
 * the field. Nothing in between reaches a store.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as t from 'io-ts';
import fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { key } from '../../stores/kv/keys.ts';
import { decodeClientFrame } from '../ws/frames.ts';
import {
  decodeRequest,
  MAX_PAGE_NUMBER,
  MAX_STREAM_SEQ,
  OptionalTimestamp,
  PageNumber,
  PageSizeWithDefault,
  StreamSeq,
} from './validation.ts';

const U64_MAX = 2n ** 64n - 1n;
/** Integers as a uint64/int64 field arrives (a decimal string) or as a JSON client sends them (a number). */
const wireInteger = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: U64_MAX }).map(String),
  fc.bigInt({ min: BigInt(MAX_STREAM_SEQ) - 5n, max: BigInt(MAX_STREAM_SEQ) + 5n }).map(String),
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }),
  fc.double(),
  fc.string({ maxLength: 24 }),
);

function decodeField<A>(codec: t.Type<A, unknown, unknown>, field: string, value: unknown) {
  return decodeRequest(t.type({ [field]: codec }), { [field]: value });
}

function assertRefusedNaming(result: ReturnType<typeof decodeField>, field: string): void {
  assert.ok(isLeft(result));
  assert.equal(result.left.code, 'INVALID_REQUEST');
  assert.equal(result.left.details['field'], field);
  assert.match(result.left.message, new RegExp(`^invalid request: ${field.replace('.', '\\.')} must be`));
}

describe('sequence fields (min_seq, after_seq, last_seq)', () => {
  test('2^53-1 and beyond are refused naming the field; 2^53-2 is the last accepted', () => {
    for (const v of [String(2 ** 53 - 1), 2 ** 53 - 1, String(2n ** 64n - 1n), '9007199254740992']) {
      assertRefusedNaming(decodeField(StreamSeq, 'after_seq', v), 'after_seq');
    }
    const last = decodeField(StreamSeq, 'min_seq', String(MAX_STREAM_SEQ));
    assert.ok(isRight(last));
    assert.equal(last.right['min_seq'], MAX_STREAM_SEQ);
  });

  test('any integer: accepted values are usable as "after" positions of a view key, the rest are refused naming the field', () => {
    fc.assert(
      fc.property(wireInteger, (v) => {
        const r = decodeField(StreamSeq, 'after_seq', v);
        if (isLeft(r)) return assertRefusedNaming(r, 'after_seq');
        const n = r.right['after_seq'] as number;
        assert.ok(Number.isSafeInteger(n) && n >= 0 && n <= MAX_STREAM_SEQ);
        assert.equal(BigInt(n), BigInt(v as string | number));
        // What the inbox and the timeline do with it: read from the next position.
        key('inbox', 'user', n + 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('page and count fields', () => {
  test('pagination.page: 0-10000, anything else refused naming it', () => {
    const Pagination = t.type({ pagination: t.type({ page: PageNumber }) });
    assert.ok(isRight(decodeRequest(Pagination, { pagination: { page: MAX_PAGE_NUMBER } })));
    for (const page of [MAX_PAGE_NUMBER + 1, 4294967295, -1]) {
      const r = decodeRequest(Pagination, { pagination: { page } });
      assertRefusedNaming(r, 'pagination.page');
    }
    fc.assert(
      fc.property(wireInteger, (v) => {
        const r = decodeRequest(Pagination, { pagination: { page: v } });
        if (isLeft(r)) return assertRefusedNaming(r, 'pagination.page');
        const page = r.right.pagination.page;
        assert.ok(Number.isInteger(page) && page >= 0 && page <= MAX_PAGE_NUMBER);
      }),
      { numRuns: 2000 },
    );
  });

  test('limit: 0 is the default, 1-100 accepted, any other integer refused naming it', () => {
    fc.assert(
      fc.property(wireInteger, (v) => {
        const r = decodeField(PageSizeWithDefault(50), 'limit', v);
        if (isLeft(r)) return assertRefusedNaming(r, 'limit');
        const n = r.right['limit'] as number;
        assert.ok(Number.isInteger(n) && n >= 1 && n <= 100);
      }),
      { numRuns: 2000 },
    );
  });

  test('timestamps: any seconds and nanos either become a safe millisecond time or are refused naming the field', () => {
    fc.assert(
      fc.property(wireInteger, wireInteger, (seconds, nanos) => {
        const r = decodeField(OptionalTimestamp, 'start_time', { seconds, nanos });
        if (isLeft(r)) return assertRefusedNaming(r, 'start_time');
        const ts = r.right['start_time'] as { seconds: number; nanos: number };
        const ms = ts.seconds * 1000 + Math.floor(ts.nanos / 1e6);
        assert.ok(Number.isSafeInteger(ms + 1) && !Number.isNaN(new Date(ms).getTime()));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('WebSocket frames', () => {
  test('resume and auth last_seq of 2^53-1 are refused (an error frame naming payload.last_seq)', () => {
    for (const frame of [
      { type: 'resume', payload: { last_seq: 2 ** 53 - 1 } },
      { type: 'resume', payload: { last_seq: '18446744073709551615' } },
      { type: 'auth', payload: { token: 'x', last_seq: 2 ** 53 - 1 } },
    ]) {
      const r = decodeClientFrame(JSON.stringify(frame));
      assert.equal(r.ok, false);
      if (r.ok) return;
      // The WebSocket's code for a payload that fails validation (docs/WEBSOCKET.md), naming the field.
      assert.equal(r.error.code, 'INVALID_FRAME');
      assert.equal(r.error.context?.['field'], 'payload.last_seq');
      assert.match(r.error.message, /payload\.last_seq must be a whole number from 0 to 9007199254740990/);
    }
  });

  test('any last_seq: accepted values are usable, the rest refused naming payload.last_seq', () => {
    fc.assert(
      fc.property(wireInteger, (v) => {
        const r = decodeClientFrame(JSON.stringify({ type: 'resume', payload: { last_seq: v } }));
        if (!r.ok) {
          assert.equal(r.error.code, 'INVALID_FRAME');
          assert.equal(r.error.context?.['field'], 'payload.last_seq');
          return;
        }
        assert.equal(r.frame.type, 'resume');
        const n = (r.frame.payload as { last_seq: number }).last_seq;
        assert.ok(Number.isSafeInteger(n) && n <= MAX_STREAM_SEQ);
        key('inbox', 'user', n + 1);
      }),
      { numRuns: 2000 },
    );
  });
});
