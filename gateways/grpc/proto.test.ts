import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authService,
  guardynPackageDefinition,
  mediaService,
  messagingService,
  packageDefinition,
  presenceService,
  SERVICE_NAMES,
} from './proto.ts';

describe('proto loading', () => {
  test('exposes the four services with their contract RPCs and streaming flags', () => {
    assert.ok(authService['Register'] && authService['Health']);
    assert.equal(authService['Login']?.path, '/guardyn.auth.AuthService/Login');
    assert.equal(messagingService['SendMessage']?.path, '/guardyn.messaging.MessagingService/SendMessage');
    assert.equal(messagingService['ReceiveMessages']?.responseStream, true);
    assert.equal(presenceService['Subscribe']?.responseStream, true);
    assert.equal(mediaService['UploadMedia']?.requestStream, true);
    assert.equal(mediaService['DownloadMedia']?.responseStream, true);
    for (const name of Object.values(SERVICE_NAMES)) assert.ok(packageDefinition[name], name);
  });

  test('is loaded once', () => {
    assert.equal(guardynPackageDefinition(), packageDefinition);
  });

  test('decodes with snake_case names, longs as strings, enum names, Buffers, defaults and oneof names', () => {
    const method = messagingService['GetMessages'];
    assert.ok(method);
    const wire = method.requestSerialize({
      access_token: 't',
      min_seq: '9007199254740993',
      start_time: { seconds: 5, nanos: 1 },
    });
    const decoded = method.requestDeserialize(wire) as Record<string, unknown>;
    assert.equal(decoded['access_token'], 't');
    assert.equal(decoded['min_seq'], '9007199254740993', 'uint64 beyond 2^53 survives as a string');
    assert.deepEqual(decoded['start_time'], { seconds: '5', nanos: 1 });
    assert.equal(decoded['end_time'], null, 'absent message field');
    assert.equal(decoded['conversation_id'], '', 'absent string');

    const send = messagingService['SendMessage'];
    assert.ok(send);
    const msg = send.requestDeserialize(
      send.requestSerialize({ encrypted_content: Buffer.from([1, 2]), message_type: 'IMAGE' }),
    ) as Record<string, unknown>;
    assert.ok(Buffer.isBuffer(msg['encrypted_content']));
    assert.equal(msg['message_type'], 'IMAGE');
    const unknownEnum = send.requestDeserialize(send.requestSerialize({ message_type: 42 })) as Record<string, unknown>;
    assert.equal(unknownEnum['message_type'], 42, 'an enum value the proto lacks arrives as a number');

    const reply = send.responseDeserialize(
      send.responseSerialize({ error: { code: 'NOT_FOUND', message: 'm', details: { field: 'x' } } }),
    ) as Record<string, unknown>;
    assert.equal(reply['result'], 'error');
    assert.deepEqual(reply['error'], { code: 'NOT_FOUND', message: 'm', details: { field: 'x' } });
  });
});
