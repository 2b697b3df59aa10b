/**
 * The client frame decoder against hostile input (property-based, fast-check):
 * a frame type that names a prototype member (`constructor`, `__proto__`,
 * `toString`) is an unknown type, never a codec; random JSON and random bytes
 * are answered with PARSE_ERROR or INVALID_FRAME, never with a throw.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeClientFrame, serverFrames, storedEventFrame, type FrameErrorCode } from './frames.ts';
import type { FeedEvent } from '../delivery/device-feed.ts';
import {
  hostileKey,
  hostileObject,
  jsonWithOwnProto,
  PROTOTYPE_KEYS,
  randomBytes,
  RUNS,
} from '../../test/support/hostile.ts';

const FRAME_TYPES = ['auth', 'resume', 'send_message', 'mark_read', 'typing', 'subscribe', 'unsubscribe', 'ping'];
const DECODE_ERRORS: readonly FrameErrorCode[] = ['PARSE_ERROR', 'INVALID_FRAME'];

/** Decodes without throwing; a success is one of the frame types, a failure one of the decoder's codes. */
function decodesSafely(text: string): ReturnType<typeof decodeClientFrame> {
  const result = decodeClientFrame(text);
  if (result.ok) assert.ok(FRAME_TYPES.includes(result.frame.type), `decoded as ${result.frame.type}`);
  else assert.ok(DECODE_ERRORS.includes(result.error.code), `answered ${result.error.code}`);
  return result;
}

describe('WebSocket client frames against hostile input', () => {
  test('a frame type naming a prototype member is an unknown type (with or without a payload)', () => {
    for (const type of PROTOTYPE_KEYS) {
      for (const text of [
        JSON.stringify({ type, payload: {} }),
        JSON.stringify({ type }),
        JSON.stringify({ type, payload: { token: 'x' }, request_id: 'r1' }),
      ]) {
        const result = decodeClientFrame(text);
        assert.equal(result.ok, false, `${text} decoded`);
        if (result.ok) continue;
        assert.equal(result.error.code, 'INVALID_FRAME', text);
        assert.equal(result.error.context?.['field'], 'type', text);
        assert.match(result.error.message, /^unknown frame type/, text);
      }
    }
  });

  test('an own __proto__ key supplies no field of a frame or a payload', () => {
    const payloadProto = decodeClientFrame(`{"type":"auth","payload":${jsonWithOwnProto({ token: 'abc' })}}`);
    assert.equal(payloadProto.ok, false);
    if (!payloadProto.ok) assert.equal(payloadProto.error.context?.['field'], 'payload.token');
    const envelopeProto = decodeClientFrame(jsonWithOwnProto({ type: 'ping', payload: {} }));
    assert.equal(envelopeProto.ok, false);
    if (!envelopeProto.ok) assert.equal(envelopeProto.error.context?.['field'], 'type');
  });

  test('any envelope of hostile types and payload keys decodes or is refused, never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileKey, fc.constantFrom(...FRAME_TYPES)),
        fc.oneof(hostileObject, fc.jsonValue({ maxDepth: 2 })),
        fc.option(fc.oneof(hostileKey, fc.string({ maxLength: 80 }))),
        (type, payload, requestId) => {
          const result = decodesSafely(
            JSON.stringify({ type, payload, ...(requestId === null ? {} : { request_id: requestId }) }),
          );
          if (result.ok) assert.equal(result.frame.type, type);
        },
      ),
      RUNS,
    );
  });

  test('random JSON decodes or is refused, never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        decodesSafely(JSON.stringify(value));
      }),
      RUNS,
    );
  });

  test('random bytes and random text are refused, never throw', () => {
    fc.assert(
      fc.property(randomBytes, (bytes) => {
        decodesSafely(bytes.toString('utf8'));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (text) => {
        decodesSafely(text);
      }),
      RUNS,
    );
  });
});

describe('stored event frames', () => {
  const record = {
    messageId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    conversationId: 'c1',
    senderUserId: 'u1',
    senderDeviceId: 'd1',
    recipientUserId: 'u2',
    recipientDeviceId: '',
    encryptedContent: new Uint8Array([1, 2, 3, 250]),
    messageType: 'TEXT' as const,
    clientMessageId: 'cm-é',
    clientTimestamp: null,
    mediaId: '',
    x3dhPrekey: '',
    at: 1_700_000_000_000,
    seq: 42,
    deleted: false,
  };

  test('one event is serialized and encoded once: every recipient sends the same UTF-8 bytes', () => {
    const event: FeedEvent = { kind: 'message', seq: 42, record, status: 'DELIVERED' };
    const first = storedEventFrame(event);
    assert.ok(Buffer.isBuffer(first), 'the frame is bytes, ready for every socket');
    assert.equal(storedEventFrame(event), first, 'the same bytes for the next recipient');
    assert.equal(first.toString('utf8'), serverFrames.message(record, 42, 'DELIVERED'));
    const copy: FeedEvent = { ...event };
    assert.notEqual(storedEventFrame(copy), first, 'another event object is another frame');
    assert.deepEqual(storedEventFrame(copy), first);
  });

  test('a read receipt event is its read_receipt frame', () => {
    const receipt = { c: 'c1', by: 'u2', dev: 'd2', ids: ['m1'], at: 1_700_000_000_000 };
    const event: FeedEvent = { kind: 'read', seq: 7, receipt };
    assert.equal(storedEventFrame(event).toString('utf8'), serverFrames.readReceipt(receipt, 7));
  });
});
