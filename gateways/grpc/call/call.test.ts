/**
 * A call dispatch as a gRPC CallEvent: the dispatch comes from another gateway over core NATS with
 * media and end reason as plain strings, so a name the proto does not define is said as the enum's
 * unspecified member (what the encoder would send anyway), never passed on as if it were known.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallDispatch } from '../../../streams/call-signals.ts';
import { callEventMessage } from './call.ts';
import { callService } from '../proto.ts';

const dispatch: CallDispatch = {
  kind: 'ended',
  callId: '00000000-0000-4000-8000-000000000001',
  callerUserId: '00000000-0000-4000-8000-000000000002',
  callerDeviceId: '00000000-0000-4000-8000-000000000003',
  calleeUserId: '00000000-0000-4000-8000-000000000004',
  media: 'VIDEO',
  userId: '00000000-0000-4000-8000-000000000002',
  deviceId: '00000000-0000-4000-8000-000000000003',
  toUserId: '00000000-0000-4000-8000-000000000004',
  toDeviceIds: [],
  payload: '',
  endReason: 'HUNG_UP',
  durationSeconds: 42,
  at: 1_700_000_000_000,
  seq: 7,
};

/** What a client decodes from a ReceiveCallEvents message. */
function overTheWire(event: unknown): Record<string, unknown> {
  const method = callService['ReceiveCallEvents']!;
  return method.responseDeserialize(method.responseSerialize(event)) as Record<string, unknown>;
}

describe('CallEvent', () => {
  test('known media and end reason pass as they are', () => {
    const event = callEventMessage(dispatch);
    assert.equal(event.kind, 'CALL_ENDED');
    assert.equal(event.media, 'VIDEO');
    assert.equal(event.end_reason, 'HUNG_UP');
    const decoded = overTheWire(event);
    assert.equal(decoded['media'], 'VIDEO');
    assert.equal(decoded['end_reason'], 'HUNG_UP');
    assert.equal(decoded['duration_seconds'], 42);
  });

  test('no end reason is END_REASON_UNSPECIFIED', () => {
    assert.equal(
      callEventMessage({ ...dispatch, kind: 'ringing', endReason: '' }).end_reason,
      'END_REASON_UNSPECIFIED',
    );
  });

  test('a media or end reason the proto does not define is the unspecified member, named as such', () => {
    const event = callEventMessage({ ...dispatch, media: 'HOLOGRAM', endReason: 'toString' });
    assert.equal(event.media, 'CALL_MEDIA_UNSPECIFIED');
    assert.equal(event.end_reason, 'END_REASON_UNSPECIFIED');
    const decoded = overTheWire(event);
    assert.equal(decoded['media'], 'CALL_MEDIA_UNSPECIFIED');
    assert.equal(decoded['end_reason'], 'END_REASON_UNSPECIFIED');
  });
});
